import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
export const EVENT_BUS = Symbol('EVENT_BUS');
export const TOPICS = {
    eventsStored: 'events.stored',
    /** Any api instance revoked a key: every instance drops its key cache. */
    apiKeyRevoked: 'api-keys.revoked',
    /** Each relay's source states, every few seconds (payload: SourceStatusReport in libs/contracts/sources.ts). */
    sourceStatus: 'sources.status',
    /** The momentum job's leaderboard changed (payload: TrendsChanged in libs/contracts/trends.ts). */
    trendsChanged: 'trends.changed',
};
export class LocalEventBus {
    ee = new EventEmitter().setMaxListeners(100);
    async publish(topic, payload) {
        this.ee.emit(topic, payload);
    }
    /** Delivers a payload that arrived as JSON text elsewhere (the Redis bus), with that text. */
    deliver(topic, payload, json) {
        this.ee.emit(topic, payload, json);
    }
    async subscribe(topic, handler) {
        this.ee.on(topic, handler);
    }
    async close() {
        this.ee.removeAllListeners();
    }
}
export class RedisEventBus {
    url;
    prefix;
    pub;
    sub;
    local = new LocalEventBus();
    constructor(url, prefix = 'sift:bus:') {
        this.url = url;
        this.prefix = prefix;
        // A publish while Redis is away fails fast instead of queueing without bound.
        this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: false });
        this.pub.on('error', () => undefined);
    }
    async publish(topic, payload) {
        await this.pub.publish(this.prefix + topic, JSON.stringify(payload));
    }
    async subscribe(topic, handler) {
        if (!this.sub) {
            this.sub = new Redis(this.url);
            this.sub.on('error', () => undefined);
            this.sub.on('message', (channel, message) => {
                this.local.deliver(channel.slice(this.prefix.length), JSON.parse(message), message);
            });
        }
        await this.local.subscribe(topic, handler);
        // Not awaited: with Redis down at boot this would hang startup. ioredis sends the command
        // once connected and re-subscribes by itself after every reconnect.
        this.sub.subscribe(this.prefix + topic).catch(() => undefined);
    }
    async close() {
        await this.local.close();
        this.sub?.disconnect();
        this.pub.disconnect();
    }
}
//# sourceMappingURL=event-bus.js.map