import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SiftConfig } from '../../../libs/config/index.js';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { BatchVectors } from '../../embeddings/batch-vectors.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { EventsRepository } from '../../events/events.repository.js';
import { RECOVERY_CHUNK, SlowConsumers, type ClientState } from './clients.js';
import { matches, type IndexedFilter } from './subscriptions.js';

/** What the replay reads of the events table (the EventsRepository today; an import change when it moves). */
export type MissedEvents = Pick<EventsRepository, 'missedSince'>;

/**
 * A client that reconnects with `lastEventId` first gets what it missed, read from Postgres in
 * id order in chunks, then the live events held for it meanwhile: every event once, in order.
 */
@Injectable()
export class Replay {
  private readonly log = new Logger('Realtime');

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(EventsRepository) private readonly events: MissedEvents,
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: BatchVectors,
    private readonly slow: SlowConsumers,
  ) {}

  /** Replays what the client missed, then releases the live events held meanwhile. */
  async recover(state: ClientState, lastEventId: string) {
    let sent = 0;
    let last = lastEventId;
    let complete = true;
    try {
      const max = this.cfg.SOCKET_RECOVERY_MAX_EVENTS!;
      const filters = [...state.filters.values()];
      const semantic = filters.some((f) => f.semantic);
      // SQL narrows by the plain fields; semantic filters are then applied to the candidates here.
      const sqlFilters = filters.map(({ source, entity, author }) => ({ source, entity, author }));
      while (state.socket.connected) {
        const candidates = await this.events.missedSince(last, sqlFilters, this.cfg.SOCKET_RECOVERY_WINDOW_MS!, Math.min(RECOVERY_CHUNK, max - sent));
        if (!candidates.length) break;
        last = candidates[candidates.length - 1]!.id;
        const chunk = semantic ? await this.keepMatching(candidates, filters) : candidates;
        if (chunk.length) state.socket.emit('events', chunk);
        sent += chunk.length;
        if (sent >= max) {
          complete = false;
          break;
        }
        if (this.slow.tooSlow(state)) return;
      }
    } catch (err) {
      complete = false;
      this.log.warn({ msg: 'socket recovery failed', error: (err as Error).message });
    }
    // Held live events: those the replay already covered (id ≤ last) are dropped, the rest sent.
    const held = (state.pending ?? []).filter((e) => BigInt(e.id) > BigInt(last));
    state.pending = undefined;
    state.replayedUpTo = BigInt(held.length ? held[held.length - 1]!.id : last);
    if (held.length) state.socket.emit('events', held);
    state.socket.emit('recovered', { from: lastEventId, count: sent, complete });
  }

  private async keepMatching(events: StoredEvent[], filters: IndexedFilter[]): Promise<StoredEvent[]> {
    const model = this.embeddings.active;
    const vectorOf = model ? await this.vectors.lookup(model.id, events) : undefined;
    return events.filter((e) => filters.some((f) => matches(f, e, vectorOf)));
  }
}
