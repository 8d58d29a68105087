var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Db } from '../../../libs/database/index.js';
export const SCOPES = ['read', 'search', 'admin'];
/** Keys are 32 random bytes, so a plain SHA-256 is enough: there is nothing to brute-force. */
export const hashSecret = (secret) => createHash('sha256').update(secret).digest('hex');
const KEY_COLUMNS = 'id, name, prefix, scopes, rate_limit_per_min, created_at, revoked_at, last_used_at';
function toView(r) {
    return {
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        scopes: r.scopes,
        rateLimitPerMin: r.rate_limit_per_min,
        createdAt: new Date(r.created_at).toISOString(),
        revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
        lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    };
}
/** Every statement on `api_keys` (the api module owns it; the keys:create CLI uses it too). */
let ApiKeysRepository = class ApiKeysRepository {
    db;
    constructor(db) {
        this.db = db;
    }
    /** Stores a new random key; its secret is returned once and only its hash is kept. */
    async create(input) {
        const key = `sift_${randomBytes(32).toString('base64url')}`;
        const [row] = await this.db.query(`INSERT INTO api_keys (name, prefix, secret_hash, scopes, rate_limit_per_min) VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY_COLUMNS}`, [input.name, key.slice(0, 12), hashSecret(key), input.scopes, input.rateLimitPerMin ?? null]);
        return { ...toView(row), key };
    }
    async list() {
        return (await this.db.query(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC`)).map(toView);
    }
    /** Revokes a live key; false when there is none with that id. */
    async revoke(id) {
        return (await this.db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id])).length > 0;
    }
    /** The live key with this secret hash, marking it used; undefined when unknown or revoked. */
    async useByHash(hash) {
        const [row] = await this.db.query(`UPDATE api_keys SET last_used_at = now() WHERE secret_hash = $1 AND revoked_at IS NULL RETURNING id, name, scopes, rate_limit_per_min`, [hash]);
        return row ? { id: row.id, name: row.name, scopes: row.scopes, rateLimitPerMin: row.rate_limit_per_min } : undefined;
    }
};
ApiKeysRepository = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [Db])
], ApiKeysRepository);
export { ApiKeysRepository };
//# sourceMappingURL=api-keys.repository.js.map