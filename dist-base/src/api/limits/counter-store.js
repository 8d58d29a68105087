import { Redis } from 'ioredis';
// INCRBY then set the expiry only when the key is new, atomically.
const HIT_LUA = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;
export class RedisCounterStore {
    prefix;
    redis;
    constructor(url, prefix) {
        this.prefix = prefix;
        this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
        this.redis.on('error', () => undefined);
    }
    async hit(key, windowMs, cost = 1) {
        const [count, ttl] = (await this.redis.eval(HIT_LUA, 1, `${this.prefix}:${key}`, windowMs, cost));
        return { count, resetMs: ttl };
    }
    async close() {
        this.redis.disconnect();
    }
    onApplicationShutdown() {
        return this.close();
    }
}
export class MemoryCounterStore {
    windows = new Map();
    sweep = setInterval(() => {
        const now = Date.now();
        for (const [k, w] of this.windows)
            if (w.until <= now)
                this.windows.delete(k);
    }, 10_000).unref();
    async hit(key, windowMs, cost = 1) {
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
//# sourceMappingURL=counter-store.js.map