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
import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authRequired } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { COUNTER_STORE } from '../limits/tokens.js';
import { ApiKeysService } from './api-keys.service.js';
import { PUBLIC_ROUTE, RATE_BUCKET, REQUIRED_SCOPE } from './auth.decorators.js';
/** The key a request or socket handshake presents: `Authorization: Bearer`, `X-API-Key`, or socket auth `{ key }`. */
export function presentedKey(headers, auth) {
    const a = headers['authorization'];
    if (typeof a === 'string' && /^bearer\s+/i.test(a))
        return a.replace(/^bearer\s+/i, '').trim();
    const x = headers['x-api-key'];
    if (typeof x === 'string' && x)
        return x.trim();
    return typeof auth?.key === 'string' ? auth.key : undefined;
}
const WINDOW_MS = 60_000;
/**
 * Every api route: authenticate the key, check its scope, then count the request against the
 * key's and the client IP's per-minute budgets (Redis-backed, shared by all api instances).
 * Answers carry RateLimit-* headers; a 429 carries Retry-After.
 */
let ApiAuthGuard = class ApiAuthGuard {
    reflector;
    keys;
    cfg;
    counters;
    constructor(reflector, keys, cfg, counters) {
        this.reflector = reflector;
        this.keys = keys;
        this.cfg = cfg;
        this.counters = counters;
    }
    async canActivate(ctx) {
        if (ctx.getType() !== 'http')
            return true;
        const targets = [ctx.getHandler(), ctx.getClass()];
        if (this.reflector.getAllAndOverride(PUBLIC_ROUTE, targets))
            return true;
        const req = ctx.switchToHttp().getRequest();
        const res = ctx.switchToHttp().getResponse();
        await this.limit(res, `ip:${req.ip}`, this.cfg.API_RATE_LIMIT_IP_PER_MIN);
        if (!authRequired(this.cfg))
            return true;
        const secret = presentedKey(req.headers);
        if (!secret)
            throw new UnauthorizedException('API key required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`');
        const principal = await this.keys.authenticate(secret);
        if (!principal)
            throw new UnauthorizedException('API key is unknown or revoked');
        const scope = this.reflector.getAllAndOverride(REQUIRED_SCOPE, targets) ?? 'read';
        if (!principal.scopes.includes(scope))
            throw new ForbiddenException(`this key lacks the "${scope}" scope`);
        req.principal = principal;
        const bucket = this.reflector.getAllAndOverride(RATE_BUCKET, targets);
        const perKey = principal.rateLimitPerMin ?? this.cfg.API_RATE_LIMIT_PER_MIN;
        if (bucket === 'search')
            await this.limit(res, `key:${principal.keyId}:search`, Math.min(perKey, this.cfg.API_SEARCH_RATE_LIMIT_PER_MIN));
        else
            await this.limit(res, `key:${principal.keyId}`, perKey);
        return true;
    }
    async limit(res, key, limit) {
        const { count, resetMs } = await this.counters.hit(`rl:${key}`, WINDOW_MS);
        const resetS = Math.max(1, Math.ceil(resetMs / 1000));
        res.setHeader('RateLimit-Limit', String(limit));
        res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
        res.setHeader('RateLimit-Reset', String(resetS));
        if (count > limit) {
            res.setHeader('Retry-After', String(resetS));
            throw new HttpException(`rate limit of ${limit} requests per minute exceeded; retry in ${resetS}s`, HttpStatus.TOO_MANY_REQUESTS);
        }
    }
};
ApiAuthGuard = __decorate([
    Injectable(),
    __param(2, Inject(SIFT_CONFIG)),
    __param(3, Inject(COUNTER_STORE)),
    __metadata("design:paramtypes", [Reflector,
        ApiKeysService, Object, Object])
], ApiAuthGuard);
export { ApiAuthGuard };
//# sourceMappingURL=api-auth.guard.js.map