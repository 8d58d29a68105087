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
import { timingSafeEqual } from 'node:crypto';
import { EVENT_BUS, TOPICS } from '../../../libs/bus/event-bus.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { ApiKeysRepository, hashSecret, SCOPES } from './api-keys.repository.js';
export { hashSecret };
const CACHE_MS = 10_000;
/**
 * Issues, checks and revokes API keys. Lookups are cached briefly per process; a revocation is
 * broadcast on the bus so every api instance drops its cached copy at once.
 */
let ApiKeysService = class ApiKeysService {
    keys;
    cfg;
    bus;
    cache = new Map();
    sweep;
    constructor(keys, cfg, bus) {
        this.keys = keys;
        this.cfg = cfg;
        this.bus = bus;
    }
    async onApplicationBootstrap() {
        await this.bus.subscribe(TOPICS.apiKeyRevoked, () => this.cache.clear());
        // Bounded memory: expired entries go, whatever keys clients try.
        this.sweep = setInterval(() => {
            const now = Date.now();
            for (const [k, v] of this.cache)
                if (v.until < now)
                    this.cache.delete(k);
        }, CACHE_MS);
        this.sweep.unref();
    }
    onModuleDestroy() {
        clearInterval(this.sweep);
    }
    create(input) {
        return this.keys.create(input);
    }
    list() {
        return this.keys.list();
    }
    async revoke(id) {
        const revoked = await this.keys.revoke(id);
        this.cache.clear();
        await this.bus.publish(TOPICS.apiKeyRevoked, { id });
        return revoked;
    }
    /** The principal for a presented secret, or null when unknown or revoked. */
    async authenticate(secret) {
        const admin = this.cfg.API_ADMIN_KEY;
        if (admin && secret.length === admin.length && timingSafeEqual(Buffer.from(secret), Buffer.from(admin))) {
            return { keyId: 'admin', name: 'API_ADMIN_KEY', scopes: [...SCOPES], rateLimitPerMin: null };
        }
        const hash = hashSecret(secret);
        const hit = this.cache.get(hash);
        if (hit && hit.until > Date.now())
            return hit.principal;
        const row = await this.keys.useByHash(hash);
        const principal = row ? { keyId: row.id, name: row.name, scopes: row.scopes, rateLimitPerMin: row.rateLimitPerMin } : null;
        this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
        return principal;
    }
};
ApiKeysService = __decorate([
    Injectable(),
    __param(1, Inject(SIFT_CONFIG)),
    __param(2, Inject(EVENT_BUS)),
    __metadata("design:paramtypes", [ApiKeysRepository, Object, Object])
], ApiKeysService);
export { ApiKeysService };
//# sourceMappingURL=api-keys.service.js.map