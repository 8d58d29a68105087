import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../libs/contracts/socket.js';
import { BatchVectors } from '../../embeddings/batch-vectors.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { SlowConsumers, type ClientState } from './clients.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { PreEncoded } from './wire.js';

/** Where batches are emitted: the socket.io server, by rooms (one room per socket id). */
export type Rooms = Pick<Server<ClientToServerEvents, ServerToClientEvents>, 'to'>;

/**
 * Live delivery of stored batches: routes each batch to the clients whose subscriptions match,
 * serialises it once per batch (not at all when it came as JSON over the bus), emits it to rooms
 * of clients that get the same list, holds it for clients still replaying, and drops clients
 * that cannot keep up.
 */
@Injectable()
export class FanOut {
  private readonly log = new Logger('Realtime');
  /** Batches are delivered strictly one after another, even when one waits on the model. */
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly registry: SubscriptionRegistry,
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: BatchVectors,
    private readonly slow: SlowConsumers,
  ) {}

  /** Queues a batch behind the ones before it. */
  enqueue(server: Rooms, batch: StoredEvent[], json?: string) {
    this.delivering = this.delivering.then(() => this.deliver(server, batch, json)).catch((err) => this.log.warn({ msg: 'delivery failed', error: (err as Error).message }));
  }

  /** Resolves once every batch queued so far is delivered. */
  get idle(): Promise<void> {
    return this.delivering;
  }

  /** `json`: the batch's JSON text as it came over the bus (Redis), if it did. */
  async deliver(server: Rooms, batch: StoredEvent[], json?: string) {
    if (!this.registry.size) return;
    const routed = this.registry.route(batch, await this.semanticVectors(batch));
    // Clients that get the same list share one encoded packet (socket.io encodes once per emit).
    const groups = new Map<string, { events: StoredEvent[]; rooms: string[] }>();
    for (const [state, routedEvents] of routed) {
      let events = routedEvents;
      if (state.replayedUpTo !== undefined) {
        const upTo = state.replayedUpTo;
        events = events.filter((e) => BigInt(e.id) > upTo);
        if (BigInt(batch[0]!.id) > upTo) state.replayedUpTo = undefined; // live batches have passed the replay
        if (!events.length) continue;
      }
      if (state.pending) {
        this.slow.hold(state as ClientState & { pending: StoredEvent[] }, events);
        continue;
      }
      if (this.slow.tooSlow(state)) continue;
      const sig = events.length === batch.length ? '*' : events.map((e) => e.id).join(',');
      let g = groups.get(sig);
      if (!g) groups.set(sig, (g = { events, rooms: [] }));
      g.rooms.push(state.socket.id);
    }
    // Each event is serialised at most once per batch, however many different lists it is in;
    // the whole batch not at all when it came as JSON over the bus. Same bytes on the wire.
    const texts = new Map<StoredEvent, string>();
    const textOf = (e: StoredEvent) => {
      let t = texts.get(e);
      if (t === undefined) texts.set(e, (t = JSON.stringify(e)));
      return t;
    };
    for (const [sig, g] of groups) {
      const body = sig === '*' && json !== undefined ? json : `[${g.events.map(textOf).join(',')}]`;
      server.to(g.rooms).emit('events', new PreEncoded(body) as unknown as StoredEvent[]);
    }
  }

  /**
   * The batch's vectors, only when someone holds a semantic subscription: once per batch and
   * model, not per subscription. They come from BatchVectors, which the embed job of this process
   * asks too, so in the all-in-one process the batch is embedded once, by whichever asks first.
   * Without a model (or when it fails) semantic filters match nothing this batch.
   */
  private async semanticVectors(batch: StoredEvent[]): Promise<((e: StoredEvent) => Float32Array | undefined) | undefined> {
    const model = this.embeddings.active;
    if (this.registry.semanticCount === 0 || !model) return undefined;
    return this.vectors.lookup(model.id, batch).catch(() => undefined);
  }
}
