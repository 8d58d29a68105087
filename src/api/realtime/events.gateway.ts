import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import { authRequired, type SiftConfig } from '../../../libs/config/index.js';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { TrendsChanged } from '../../../libs/contracts/trends.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketAuth, SubscriptionFilter } from '../../../libs/contracts/socket.js';
import { metrics } from '../../../libs/observability/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { presentedKey } from '../auth/api-auth.guard.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { EventsRepository } from '../../events/events.repository.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { matches, parseFilter, SubscriptionIndex, type IndexedFilter } from './subscriptions.js';
import { PreEncoded, wireParser } from './wire.js';

type SiftSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface ClientState {
  socket: SiftSocket;
  filters: Map<string, IndexedFilter>;
  /** While replaying missed events, live events wait here (bounded like the socket buffer). */
  pending?: StoredEvent[];
}

const MAX_SUBSCRIPTIONS = 50;
const RECOVERY_CHUNK = 500;

/**
 * socket.io delivery. Every api instance receives every stored batch from the bus (Redis
 * pub/sub when split) and routes it to its own clients by their subscriptions, so a client on
 * any instance sees events stored by any relay. A client that reconnects with `lastEventId`
 * first gets what it missed, replayed from Postgres in id order, then the live stream, with
 * no event twice. Slow clients are cut off instead of buffering without bound.
 */
@WebSocketGateway({ cors: { origin: true }, maxHttpBufferSize: 64 * 1024, parser: wireParser })
export class EventsGateway implements OnGatewayInit, OnApplicationBootstrap, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly log = new Logger('Realtime');
  @WebSocketServer() server!: Server<ClientToServerEvents, ServerToClientEvents>;
  private readonly clients = new Map<string, ClientState>();
  private readonly index = new SubscriptionIndex<ClientState>();

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    private readonly keys: ApiKeysService,
    private readonly events: EventsRepository,
    private readonly embeddings: EmbeddingsService,
  ) {}
  /** Batches are delivered strictly one after another, even when one waits on the model. */
  private delivering: Promise<void> = Promise.resolve();

  afterInit(server: Server) {
    // Handshake auth: the same keys as REST; a refused client gets connect_error with the reason.
    server.use(async (socket, next) => {
      if (!authRequired(this.cfg)) return next();
      const secret = presentedKey(socket.handshake.headers as Record<string, unknown>, socket.handshake.auth);
      if (!secret) return next(new Error('unauthorized: API key required (auth: { key })'));
      const principal = await this.keys.authenticate(secret).catch(() => null);
      if (!principal) return next(new Error('unauthorized: API key is unknown or revoked'));
      if (!principal.scopes.includes('read')) return next(new Error('forbidden: key lacks the "read" scope'));
      next();
    });
  }

  async onApplicationBootstrap() {
    // Trend changes are few and small: every client gets them.
    await this.bus.subscribe<TrendsChanged>(TOPICS.trendsChanged, (change) => this.server.emit('trends', change));
    await this.bus.subscribe<StoredEvent[]>(TOPICS.eventsStored, (batch, json) => {
      this.delivering = this.delivering.then(() => this.deliver(batch, json)).catch((err) => this.log.warn({ msg: 'delivery failed', error: (err as Error).message }));
    });
  }

  /** Graceful shutdown: tell clients to reconnect (elsewhere) before the server closes. */
  onModuleDestroy() {
    this.server?.emit('reconnect_hint', { afterMs: 1000 });
  }

  async handleConnection(socket: SiftSocket) {
    const auth = (socket.handshake.auth ?? {}) as SocketAuth;
    const state: ClientState = { socket, filters: new Map() };
    const initial = auth.subscriptions ?? [{}];
    if (!Array.isArray(initial) || initial.length > MAX_SUBSCRIPTIONS) {
      socket.emit('overflow', { buffered: 0, limit: MAX_SUBSCRIPTIONS });
      socket.disconnect(true);
      return;
    }
    const lastEventId = typeof auth.lastEventId === 'string' && /^\d{1,18}$/.test(auth.lastEventId) ? auth.lastEventId : undefined;
    if (lastEventId) state.pending = [];
    this.clients.set(socket.id, state);
    metrics.socketClients.set(this.clients.size);
    for (const f of initial) {
      const r = parseFilter(f);
      if (r.ok && !r.filter.semantic) this.addFilter(state, r.filter);
      else if (r.ok) await this.withVector(r.filter).then((g) => this.addFilter(state, g)).catch(() => undefined);
    }
    socket.on('subscribe', async (f, ack) => {
      const parsed = parseFilter(f);
      if (!parsed.ok) return typeof ack === 'function' && ack(parsed);
      let filter: IndexedFilter = parsed.filter;
      if (filter.semantic) {
        try {
          filter = await this.withVector(filter);
        } catch (err) {
          return typeof ack === 'function' && ack({ ok: false, error: (err as Error).message });
        }
      }
      const r = { ok: true as const, filter };
      if (state.filters.size >= MAX_SUBSCRIPTIONS) return typeof ack === 'function' && ack({ ok: false, error: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection` });
      // An explicit subscription replaces the implicit "everything" of a bare connection.
      if (!auth.subscriptions) for (const [id, g] of state.filters) if (!g.source && !g.entity && !g.author) this.removeFilter(state, id);
      auth.subscriptions = [];
      const id = this.addFilter(state, r.filter);
      if (typeof ack === 'function') ack({ ok: true, id });
    });
    socket.on('unsubscribe', (id, ack) => {
      const ok = typeof id === 'string' && state.filters.has(id);
      if (ok) this.removeFilter(state, id);
      if (typeof ack === 'function') ack(ok ? { ok: true } : { ok: false, error: `no subscription ${String(id)}` });
    });
    socket.on('ping', (ack) => typeof ack === 'function' && ack({ ok: true, time: new Date().toISOString() }));
    if (lastEventId) await this.recover(state, lastEventId);
  }

  handleDisconnect(socket: SiftSocket) {
    const state = this.clients.get(socket.id);
    if (state) for (const id of [...state.filters.keys()]) this.removeFilter(state, id);
    this.clients.delete(socket.id);
    metrics.socketClients.set(this.clients.size);
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

  /** Replays what the client missed, then releases the live events held meanwhile. */
  private async recover(state: ClientState, lastEventId: string) {
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
        if (this.tooSlow(state)) return;
      }
    } catch (err) {
      complete = false;
      this.log.warn({ msg: 'socket recovery failed', error: (err as Error).message });
    }
    // Held live events: those the replay already covered (id ≤ last) are dropped, the rest sent.
    const held = (state.pending ?? []).filter((e) => BigInt(e.id) > BigInt(last));
    state.pending = undefined;
    if (held.length) state.socket.emit('events', held);
    state.socket.emit('recovered', { from: lastEventId, count: sent, complete });
  }

  private async keepMatching(events: StoredEvent[], filters: IndexedFilter[]): Promise<StoredEvent[]> {
    const model = this.embeddings.active;
    const vectors = model ? await this.embeddings.embed(events.map((e) => e.text), model.id) : [];
    const byEvent = new Map(events.map((e, i) => [e, vectors[i]]));
    return events.filter((e) => filters.some((f) => matches(f, e, (x) => byEvent.get(x))));
  }

  /** `json`: the batch's JSON text as it came over the bus (Redis), if it did. */
  private async deliver(batch: StoredEvent[], json?: string) {
    if (!this.clients.size) return;
    // Only when someone holds a semantic subscription is the batch embedded (once, here).
    let vectorOf: ((e: StoredEvent) => Float32Array | undefined) | undefined;
    const model = this.embeddings.active;
    if (this.index.semanticCount > 0 && model) {
      const vectors = await this.embeddings.embed(batch.map((e) => e.text), model.id).catch(() => undefined);
      if (vectors) {
        const byEvent = new Map(batch.map((e, i) => [e, vectors[i]!]));
        vectorOf = (e) => byEvent.get(e);
      }
    }
    const routed = this.index.route(batch, vectorOf);
    // Clients that get the same list share one encoded packet (socket.io encodes once per emit).
    const groups = new Map<string, { events: StoredEvent[]; rooms: string[] }>();
    for (const [state, events] of routed) {
      if (state.pending) {
        state.pending.push(...events);
        if (state.pending.length > this.cfg.SOCKET_MAX_BUFFERED_PACKETS! * RECOVERY_CHUNK) this.drop(state, state.pending.length);
        continue;
      }
      if (this.tooSlow(state)) continue;
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
      this.server.to(g.rooms).emit('events', new PreEncoded(body) as unknown as StoredEvent[]);
    }
  }

  /** True (and the client is dropped) when its unsent packets pass the limit. */
  private tooSlow(state: ClientState): boolean {
    const buffered = (state.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
    if (buffered <= this.cfg.SOCKET_MAX_BUFFERED_PACKETS!) return false;
    this.drop(state, buffered);
    return true;
  }

  private drop(state: ClientState, buffered: number) {
    this.log.warn({ msg: 'dropping slow socket.io client', socket: state.socket.id, buffered });
    metrics.socketsDropped.inc();
    state.socket.emit('overflow', { buffered, limit: this.cfg.SOCKET_MAX_BUFFERED_PACKETS! });
    state.socket.disconnect(true);
  }
}
