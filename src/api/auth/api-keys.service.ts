import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { SiftConfig } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { ApiKeysRepository, hashSecret, SCOPES, type ApiKeyView, type Scope } from './api-keys.repository.js';

export { hashSecret, type ApiKeyView };

export interface Principal {
  keyId: string;
  name: string;
  scopes: Scope[];
  rateLimitPerMin: number | null;
}

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
    private readonly keys: ApiKeysRepository,
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

  create(input: { name: string; scopes: Scope[]; rateLimitPerMin?: number | null }): Promise<ApiKeyView & { key: string }> {
    return this.keys.create(input);
  }

  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  async revoke(id: string): Promise<boolean> {
    const revoked = await this.keys.revoke(id);
    this.cache.clear();
    await this.bus.publish(TOPICS.apiKeyRevoked, { id });
    return revoked;
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
    const row = await this.keys.useByHash(hash);
    const principal: Principal | null = row ? { keyId: row.id, name: row.name, scopes: row.scopes, rateLimitPerMin: row.rateLimitPerMin } : null;
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}
