import { Inject, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { Alert } from '../../../libs/contracts/alerts.js';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { TrendsChanged } from '../../../libs/contracts/trends.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../libs/contracts/socket.js';
import type { SiftSocket } from './clients.js';
import { ADMIN_ALERT_ROOM, alertRoomOf, ConnectionAuth, MAX_SUBSCRIPTIONS } from './connection-auth.js';
import { FanOut } from './fan-out.js';
import { Replay } from './replay.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { wireParser } from './wire.js';

/**
 * socket.io delivery. Every api instance receives every stored batch from the bus (Redis
 * pub/sub when split) and routes it to its own clients by their subscriptions, so a client on
 * any instance sees events stored by any relay. A client that reconnects with `lastEventId`
 * first gets what it missed, replayed from Postgres in id order, then the live stream, with
 * no event twice. Slow clients are cut off instead of buffering without bound.
 *
 * The gateway only wires socket.io to its parts: {@link ConnectionAuth} (who may connect, what
 * the handshake asks for), {@link SubscriptionRegistry} (clients and their filters),
 * {@link Replay} (missed events) and {@link FanOut} (live batches, slow consumers).
 */
@WebSocketGateway({ cors: { origin: true }, maxHttpBufferSize: 64 * 1024, parser: wireParser })
export class EventsGateway implements OnGatewayInit, OnApplicationBootstrap, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  @WebSocketServer() server!: Server<ClientToServerEvents, ServerToClientEvents>;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly auth: ConnectionAuth,
    private readonly registry: SubscriptionRegistry,
    private readonly replay: Replay,
    private readonly fanOut: FanOut,
  ) {}

  afterInit(server: Server) {
    server.use(this.auth.middleware);
  }

  async onApplicationBootstrap() {
    // Trend changes are few and small: every client gets them.
    await this.bus.subscribe<TrendsChanged>(TOPICS.trendsChanged, (change) => this.server.emit('trends', change));
    // Alerts go to their owner key's connections only, or to admin connections when unowned.
    await this.bus.subscribe<Alert>(TOPICS.alertRaised, (alert) =>
      this.server.to(alert.ownerKeyId ? alertRoomOf(alert.ownerKeyId) : ADMIN_ALERT_ROOM).emit('alert', alert),
    );
    await this.bus.subscribe<StoredEvent[]>(TOPICS.eventsStored, (batch, json) => this.fanOut.enqueue(this.server, batch, json));
  }

  /** Graceful shutdown: tell clients to reconnect (elsewhere) before the server closes. */
  onModuleDestroy() {
    this.server?.emit('reconnect_hint', { afterMs: 1000 });
  }

  async handleConnection(socket: SiftSocket) {
    const h = this.auth.handshake(socket);
    if (!h.ok) {
      socket.emit('overflow', { buffered: 0, limit: MAX_SUBSCRIPTIONS });
      socket.disconnect(true);
      return;
    }
    const rooms = (socket.data as { alertRooms?: string[] } | undefined)?.alertRooms;
    if (rooms?.length) await socket.join(rooms);
    const state = this.registry.connect(socket, h.lastEventId !== undefined);
    await this.registry.addInitial(state, h.initial);
    socket.on('subscribe', async (f, ack) => {
      const reply = await this.registry.subscribe(state, f, h.auth);
      if (typeof ack === 'function') ack(reply);
    });
    socket.on('unsubscribe', (id, ack) => {
      const reply = this.registry.unsubscribe(state, id);
      if (typeof ack === 'function') ack(reply);
    });
    socket.on('ping', (ack) => typeof ack === 'function' && ack({ ok: true, time: new Date().toISOString() }));
    if (h.lastEventId) await this.replay.recover(state, h.lastEventId);
  }

  handleDisconnect(socket: SiftSocket) {
    this.registry.disconnect(socket);
  }
}
