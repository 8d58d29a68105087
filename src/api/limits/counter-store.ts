import { Counter } from 'prom-client';
import { Redis } from 'ioredis';
import { registry } from '../../../libs/observability/index.js';

const rateLimitFallbacks = new Counter({ name: 'sift_rate_limit_local_fallback_total', help: 'Rate-limit hits counted in this process because Redis was unreachable', registers: [registry] });

/** A counter in a fixed window: how many hits so far and when the window ends. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Fixed-window counters. Redis when configured (so limits hold across api instances), an
 * in-memory map otherwise (single process). Keys expire with their window either way.
 */
export interface CounterStore {
  hit(key: string, windowMs: number, cost?: number): Promise<WindowCount>;
  close(): Promise<void>;
}

// INCRBY then set the expiry only when the key is new, atomically.
const HIT_LUA = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * Redis counters, so a limit holds across api instances. While Redis is unreachable (a restart,
 * a failover) each hit is counted in this process instead: the limit then holds per instance,
 * which is looser by the number of instances but never turns a request into a 500. Commands fail
 * at once while disconnected (no offline queue), so an outage costs no request any waiting.
 */
export class RedisCounterStore implements CounterStore {
  private readonly redis: Redis;
  private readonly local = new MemoryCounterStore();
  private degradedSince?: number;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log?: { warn(o: object): void },
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => {
      if (this.degradedSince === undefined) return;
      this.log?.warn({ msg: 'rate limits back on Redis', afterMs: Date.now() - this.degradedSince });
      this.degradedSince = undefined;
    });
  }

  async hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    if (this.redis.status === 'ready') {
      try {
        const [count, ttl] = (await this.redis.eval(HIT_LUA, 1, `${this.prefix}:${key}`, windowMs, cost)) as [number, number];
        return { count, resetMs: ttl };
      } catch (err) {
        this.degrade(err);
      }
    } else this.degrade(new Error(`redis ${this.redis.status}`));
    rateLimitFallbacks.inc();
    return this.local.hit(key, windowMs, cost);
  }

  private degrade(err: unknown) {
    if (this.degradedSince !== undefined) return;
    this.degradedSince = Date.now();
    this.log?.warn({ msg: 'Redis unreachable: rate limits counted per api instance until it is back', err: (err as Error).message });
  }

  async close() {
    this.redis.disconnect();
    await this.local.close();
  }
  onApplicationShutdown() {
    return this.close();
  }
}

export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; until: number }>();
  private readonly sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, w] of this.windows) if (w.until <= now) this.windows.delete(k);
  }, 10_000).unref();

  async hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.until <= now) {
      w = { count: 0, until: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += cost;
    return { count: w.count, resetMs: w.until - now };
  }
  async close() {
    clearInterval(this.sweep);
  }
  onApplicationShutdown() {
    return this.close();
  }
}
