import type { StoredEvent } from './event.js';
import type { Alert } from './alerts.js';
import type { TrendsChanged } from './trends.js';

/** What a subscription matches; every given field must match. `{}` matches every event. */
export interface SubscriptionFilter {
  source?: string;
  /** `$btc`, `#ai`, `@alice.bsky.social` or a domain. */
  entity?: string;
  author?: string;
  /** Saved semantic query: events whose vector has cosine similarity ≥ threshold with `q`'s. */
  semantic?: { q: string; threshold: number };
}

/** Handshake `auth` payload. */
export interface SocketAuth {
  /** API key (or send `Authorization: Bearer` / `X-API-Key` headers). */
  key?: string;
  /** Subscriptions to hold from the start; absent = every event. */
  subscriptions?: SubscriptionFilter[];
  /** Id of the last event this client received; what it missed since is replayed first. */
  lastEventId?: string;
}

export type Ack<T> = (reply: ({ ok: true } & T) | { ok: false; error: string }) => void;

/** socket.io events the server emits; shared with clients for typing. */
export interface ServerToClientEvents {
  /** Stored events matching this client's subscriptions, in id order, each once. */
  events: (events: StoredEvent[]) => void;
  /** After a reconnect with `lastEventId`: how many missed events were replayed. */
  recovered: (info: { from: string; count: number; complete: boolean }) => void;
  /** Sent just before the server drops a client that cannot keep up. */
  overflow: (info: { buffered: number; limit: number }) => void;
  /** The momentum leaderboard changed (entities entered/left the top list or crossed the alert score). */
  trends: (change: TrendsChanged) => void;
  /** An alert for this connection's key (or, for admin-scope connections, an operators' alert). */
  alert: (alert: Alert) => void;
  /** Sent on graceful shutdown: reconnect (to another instance) after `afterMs`. */
  reconnect_hint: (info: { afterMs: number }) => void;
}

/** socket.io events clients may send. */
export interface ClientToServerEvents {
  subscribe: (filter: SubscriptionFilter, ack: Ack<{ id: string }>) => void;
  unsubscribe: (id: string, ack: Ack<object>) => void;
  ping: (ack: (reply: { ok: true; time: string }) => void) => void;
}
