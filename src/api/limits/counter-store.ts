import { Redis } from 'ioredis';

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

export class RedisCounterStore implements CounterStore {
  private readonly redis: Redis;
  constructor(url: string, private readonly prefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
  }
  async hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    const [count, ttl] = (await this.redis.eval(HIT_LUA, 1, `${this.prefix}:${key}`, windowMs, cost)) as [number, number];
    return { count, resetMs: ttl };
  }
  async close() {
    this.redis.disconnect();
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
