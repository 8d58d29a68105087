var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { BadRequestException, Injectable } from '@nestjs/common';
/**
 * Postgres text cannot hold NUL, and no legitimate query or body needs one: refuse it up front
 * with a 400 naming the field, instead of letting the database turn it into a 500.
 */
let RejectNulPipe = class RejectNulPipe {
    transform(value, meta) {
        if (meta.type === 'custom')
            return value;
        const bad = findNul(value, meta.data ?? meta.type);
        if (bad)
            throw new BadRequestException([`${bad} contains a NUL character`]);
        return value;
    }
};
RejectNulPipe = __decorate([
    Injectable()
], RejectNulPipe);
export { RejectNulPipe };
function findNul(v, path, depth = 0) {
    if (typeof v === 'string')
        return v.includes('\u0000') ? path : undefined;
    if (depth > 8 || v === null || typeof v !== 'object')
        return undefined;
    for (const [k, x] of Object.entries(v)) {
        const hit = findNul(x, path === 'query' || path === 'body' || path === 'param' ? k : `${path}.${k}`, depth + 1);
        if (hit)
            return hit;
    }
    return undefined;
}
//# sourceMappingURL=reject-nul.pipe.js.map