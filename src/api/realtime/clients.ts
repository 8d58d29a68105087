import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { SiftConfig } from '../../../libs/config/index.js';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../libs/contracts/socket.js';
import { metrics } from '../../../libs/observability/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import type { IndexedFilter } from './subscriptions.js';

export type SiftSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** One connected client, as the registry, replay and fan-out share it. */
export interface ClientState {
  socket: SiftSocket;
  filters: Map<string, IndexedFilter>;
  /** While replaying missed events, live events wait here (bounded like the socket buffer). */
  pending?: StoredEvent[];
  /**
   * After a replay: the highest id it sent. The bus may deliver a batch after the replay already
   * read it from Postgres (the notification lags the commit under load); live events up to this
   * id are then dropped rather than sent twice. Cleared once live batches pass it.
   */
  replayedUpTo?: bigint;
}

/** Missed events read (and sent) per query during a replay; also scales the held-events bound. */
export const RECOVERY_CHUNK = 500;

/** Cuts off clients that cannot keep up instead of buffering for them without bound. */
@Injectable()
export class SlowConsumers {
  private readonly log = new Logger('Realtime');

  constructor(@Inject(SIFT_CONFIG) private readonly cfg: SiftConfig) {}

  /** True (and the client is dropped) when its unsent packets pass the limit. */
  tooSlow(state: ClientState): boolean {
    const buffered = (state.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
    if (buffered <= this.cfg.SOCKET_MAX_BUFFERED_PACKETS!) return false;
    this.drop(state, buffered);
    return true;
  }

  /** Holds a live batch for a client still replaying; drops it when too much piles up. */
  hold(state: ClientState & { pending: StoredEvent[] }, events: StoredEvent[]) {
    state.pending.push(...events);
    if (state.pending.length > this.cfg.SOCKET_MAX_BUFFERED_PACKETS! * RECOVERY_CHUNK) this.drop(state, state.pending.length);
  }

  private drop(state: ClientState, buffered: number) {
    this.log.warn({ msg: 'dropping slow socket.io client', socket: state.socket.id, buffered });
    metrics.socketsDropped.inc();
    state.socket.emit('overflow', { buffered, limit: this.cfg.SOCKET_MAX_BUFFERED_PACKETS! });
    state.socket.disconnect(true);
  }
}
