import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { SocketAuth, SubscriptionFilter } from '../../../libs/contracts/socket.js';
import { metrics } from '../../../libs/observability/index.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import type { ClientState, SiftSocket } from './clients.js';
import { MAX_SUBSCRIPTIONS } from './connection-auth.js';
import { parseFilter, SubscriptionIndex, type IndexedFilter } from './subscriptions.js';

export type SubscribeReply = { ok: true; id: string } | { ok: false; error: string };
export type UnsubscribeReply = { ok: true } | { ok: false; error: string };

/**
 * Who is connected and what each client subscribed to: the clients, their filters (a semantic
 * one with its query's vector) and the index that routes a batch to them.
 */
@Injectable()
export class SubscriptionRegistry {
  private readonly clients = new Map<string, ClientState>();
  private readonly index = new SubscriptionIndex<ClientState>();

  constructor(private readonly embeddings: EmbeddingsService) {}

  /** A new client; `replaying`: its live events are held until the replay of what it missed is done. */
  connect(socket: SiftSocket, replaying: boolean): ClientState {
    const state: ClientState = { socket, filters: new Map() };
    if (replaying) state.pending = [];
    this.clients.set(socket.id, state);
    metrics.socketClients.set(this.clients.size);
    return state;
  }

  disconnect(socket: Pick<SiftSocket, 'id'>) {
    const state = this.clients.get(socket.id);
    if (state) for (const id of [...state.filters.keys()]) this.removeFilter(state, id);
    this.clients.delete(socket.id);
    metrics.socketClients.set(this.clients.size);
  }

  /** The handshake's subscriptions; invalid ones (and semantic ones while embeddings are away) are skipped. */
  async addInitial(state: ClientState, initial: unknown[]) {
    for (const f of initial) {
      const r = parseFilter(f);
      if (r.ok && !r.filter.semantic) this.addFilter(state, r.filter);
      else if (r.ok) await this.withVector(r.filter).then((g) => this.addFilter(state, g)).catch(() => undefined);
    }
  }

  /** A `subscribe` message. An explicit subscription replaces the implicit "everything" of a bare connection. */
  async subscribe(state: ClientState, input: unknown, auth: SocketAuth): Promise<SubscribeReply> {
    const parsed = parseFilter(input);
    if (!parsed.ok) return parsed;
    let filter: IndexedFilter = parsed.filter;
    if (filter.semantic) {
      try {
        filter = await this.withVector(filter);
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    }
    if (state.filters.size >= MAX_SUBSCRIPTIONS) return { ok: false, error: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection` };
    if (!auth.subscriptions) for (const [id, g] of state.filters) if (!g.source && !g.entity && !g.author) this.removeFilter(state, id);
    auth.subscriptions = [];
    return { ok: true, id: this.addFilter(state, filter) };
  }

  unsubscribe(state: ClientState, id: unknown): UnsubscribeReply {
    const ok = typeof id === 'string' && state.filters.has(id);
    if (ok) this.removeFilter(state, id);
    return ok ? { ok: true } : { ok: false, error: `no subscription ${String(id)}` };
  }

  /** Per client, the events of `batch` it should get (see SubscriptionIndex.route). */
  route(batch: StoredEvent[], vectorOf?: (e: StoredEvent) => Float32Array | undefined): Map<ClientState, StoredEvent[]> {
    return this.index.route(batch, vectorOf);
  }

  /** Clients connected. */
  get size() {
    return this.clients.size;
  }

  /** Live semantic filters: when 0, batches are routed without vectors. */
  get semanticCount() {
    return this.index.semanticCount;
  }

  /** A semantic filter gets its query embedded once, by the active model. */
  private async withVector(f: SubscriptionFilter): Promise<IndexedFilter> {
    // A client may subscribe while the model is still loading: wait for the chain to settle.
    await this.embeddings.settled;
    const model = this.embeddings.active;
    if (!model) throw new Error('semantic subscriptions need embeddings, which are unavailable right now');
    const [vector] = await this.embeddings.embed([f.semantic!.q], model.id);
    return { ...f, vector };
  }

  private addFilter(state: ClientState, f: IndexedFilter): string {
    const id = randomUUID();
    state.filters.set(id, f);
    this.index.add(state, id, f);
    return id;
  }

  private removeFilter(state: ClientState, id: string) {
    const f = state.filters.get(id);
    if (!f) return;
    state.filters.delete(id);
    this.index.remove(state, id, f);
  }
}
