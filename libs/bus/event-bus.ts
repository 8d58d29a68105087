import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Broadcasts between roles: the relay publishes, every api instance subscribes and forwards to
 * its own socket.io clients. In one process it is an EventEmitter; split, Redis pub/sub.
 */
export interface EventBus {
  publish<T>(topic: string, payload: T): Promise<void>;
  /**
   * `json`, when given, is the payload's JSON text as it crossed the wire (Redis), so a consumer
   * that forwards it (socket.io fan-out) need not serialise it again. In-process: undefined.
   */
  subscribe<T>(topic: string, handler: BusHandler<T>): Promise<void>;
  close(): Promise<void>;
}
export type BusHandler<T> = (payload: T, json?: string) => void;
export const EVENT_BUS = Symbol('EVENT_BUS');

export const TOPICS = {
  eventsStored: 'events.stored',
  /** Any api instance revoked a key: every instance drops its key cache. */
  apiKeyRevoked: 'api-keys.revoked',
  /** Each relay's source states, every few seconds (payload: SourceStatusReport in libs/contracts/sources.ts). */
  sourceStatus: 'sources.status',
  /** The momentum job's leaderboard changed (payload: TrendsChanged in libs/contracts/trends.ts). */
  trendsChanged: 'trends.changed',
  /** An alert was raised (payload: Alert in libs/contracts/alerts.ts); api instances emit it to sockets. */
  alertRaised: 'alerts.raised',
} as const;

export class LocalEventBus implements EventBus {
  private readonly ee = new EventEmitter().setMaxListeners(100);
  async publish<T>(topic: string, payload: T) {
    this.ee.emit(topic, payload);
  }
  /** Delivers a payload that arrived as JSON text elsewhere (the Redis bus), with that text. */
  deliver(topic: string, payload: unknown, json: string) {
    this.ee.emit(topic, payload, json);
  }
  async subscribe<T>(topic: string, handler: BusHandler<T>) {
    this.ee.on(topic, handler);
  }
  async close() {
    this.ee.removeAllListeners();
  }
}

export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private sub?: Redis;
  private readonly local = new LocalEventBus();

  constructor(private readonly url: string, private readonly prefix = 'sift:bus:') {
    // A publish while Redis is away fails fast instead of queueing without bound.
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: false });
    this.pub.on('error', () => undefined);
  }

  async publish<T>(topic: string, payload: T) {
    await this.pub.publish(this.prefix + topic, JSON.stringify(payload));
  }

  async subscribe<T>(topic: string, handler: BusHandler<T>) {
    if (!this.sub) {
      this.sub = new Redis(this.url);
      this.sub.on('error', () => undefined);
      this.sub.on('message', (channel: string, message: string) => {
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
