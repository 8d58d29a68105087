import type { StoredEvent } from './event.js';

/** socket.io events the server emits; shared with clients for typing. */
export interface ServerToClientEvents {
  /** One stored event, as soon as the relay committed it. */
  event: (event: StoredEvent) => void;
}

/** socket.io events clients may send. */
export interface ClientToServerEvents {
  ping: (ack: (reply: { ok: true; time: string }) => void) => void;
}
