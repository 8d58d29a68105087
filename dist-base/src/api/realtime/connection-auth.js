var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Inject, Injectable } from '@nestjs/common';
import { authRequired } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { presentedKey } from '../auth/api-auth.guard.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
export const MAX_SUBSCRIPTIONS = 50;
/** Who may connect (the REST keys, "read" scope) and what a connection asks for. */
let ConnectionAuth = class ConnectionAuth {
    cfg;
    keys;
    constructor(cfg, keys) {
        this.cfg = cfg;
        this.keys = keys;
    }
    /** Handshake auth for `server.use`: a refused client gets connect_error with the reason. */
    middleware = async (socket, next) => {
        if (!authRequired(this.cfg))
            return next();
        const secret = presentedKey(socket.handshake.headers, socket.handshake.auth);
        if (!secret)
            return next(new Error('unauthorized: API key required (auth: { key })'));
        const principal = await this.keys.authenticate(secret).catch(() => null);
        if (!principal)
            return next(new Error('unauthorized: API key is unknown or revoked'));
        if (!principal.scopes.includes('read'))
            return next(new Error('forbidden: key lacks the "read" scope'));
        next();
    };
    /** The initial subscriptions (absent: everything) and the replay point of a connection. */
    handshake(socket) {
        const auth = (socket.handshake.auth ?? {});
        const initial = auth.subscriptions ?? [{}];
        if (!Array.isArray(initial) || initial.length > MAX_SUBSCRIPTIONS)
            return { ok: false };
        const lastEventId = typeof auth.lastEventId === 'string' && /^\d{1,18}$/.test(auth.lastEventId) ? auth.lastEventId : undefined;
        return { ok: true, auth, initial, lastEventId };
    }
};
ConnectionAuth = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [Object, ApiKeysService])
], ConnectionAuth);
export { ConnectionAuth };
//# sourceMappingURL=connection-auth.js.map