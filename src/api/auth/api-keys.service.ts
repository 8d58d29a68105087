import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { rowsOf } from '../../../libs/database/index.js';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { SiftConfig } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { SCOPES, type Scope } from './api-key.entity.js';

export interface Principal {
  keyId: string;
  name: string;
  scopes: Scope[];
  rateLimitPerMin: number | null;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  rateLimitPerMin: number | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Keys are 32 random bytes, so a plain SHA-256 is enough: there is nothing to brute-force. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const CACHE_MS = 10_000;

/**
 * Issues, checks and revokes API keys. Lookups are cached briefly per process; a revocation is
 * broadcast on the bus so every api instance drops its cached copy at once.
 */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly ds: DataSource,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap() {
    await this.bus.subscribe(TOPICS.apiKeyRevoked, () => this.cache.clear());
    // Bounded memory: expired entries go, whatever keys clients try.
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const [k, v] of this.cache) if (v.until < now) this.cache.delete(k);
    }, CACHE_MS);
    this.sweep.unref();
  }

  onModuleDestroy() {
    clearInterval(this.sweep);
  }

  async create(input: { name: string; scopes: Scope[]; rateLimitPerMin?: number | null }): Promise<ApiKeyView & { key: string }> {
    const key = `sift_${randomBytes(32).toString('base64url')}`;
    const [row] = await this.ds.query(
      `INSERT INTO api_keys (name, prefix, secret_hash, scopes, rate_limit_per_min) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [input.name, key.slice(0, 12), hashSecret(key), input.scopes, input.rateLimitPerMin ?? null],
    );
    return { ...toView(row), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.ds.query(`SELECT * FROM api_keys ORDER BY created_at DESC`)).map(toView);
  }

  async revoke(id: string): Promise<boolean> {
    const rows = rowsOf(await this.ds.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id]));
    this.cache.clear();
    await this.bus.publish(TOPICS.apiKeyRevoked, { id });
    return rows.length > 0;
  }

  /** The principal for a presented secret, or null when unknown or revoked. */
  async authenticate(secret: string): Promise<Principal | null> {
    const admin = this.cfg.API_ADMIN_KEY;
    if (admin && secret.length === admin.length && timingSafeEqual(Buffer.from(secret), Buffer.from(admin))) {
      return { keyId: 'admin', name: 'API_ADMIN_KEY', scopes: [...SCOPES], rateLimitPerMin: null };
    }
    const hash = hashSecret(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.principal;
    const [row] = rowsOf(
      await this.ds.query(
        `UPDATE api_keys SET last_used_at = now() WHERE secret_hash = $1 AND revoked_at IS NULL RETURNING id, name, scopes, rate_limit_per_min`,
        [hash],
      ),
    );
    const principal: Principal | null = row ? { keyId: row.id, name: row.name, scopes: row.scopes, rateLimitPerMin: row.rate_limit_per_min } : null;
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}

function toView(r: Record<string, any>): ApiKeyView {
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
