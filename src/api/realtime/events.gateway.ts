import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../libs/contracts/socket.js';
import { metrics } from '../../../libs/observability/index.js';

/**
 * Forwards every stored event to this instance's socket.io clients. Each api instance gets the
 * events from the bus (Redis pub/sub when split), so no cross-instance adapter hop is needed.
 */
@WebSocketGateway({ cors: { origin: true } })
export class EventsGateway implements OnApplicationBootstrap, OnGatewayConnection, OnGatewayDisconnect {
  private readonly log = new Logger('Realtime');
  @WebSocketServer() server!: Server<ClientToServerEvents, ServerToClientEvents>;

  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  async onApplicationBootstrap() {
    await this.bus.subscribe<StoredEvent[]>(TOPICS.eventsStored, (events) => {
      for (const e of events) this.server.emit('event', e);
    });
  }

  handleConnection(socket: Socket<ClientToServerEvents, ServerToClientEvents>) {
    metrics.socketClients.set(this.server.engine.clientsCount);
    socket.on('ping', (ack) => typeof ack === 'function' && ack({ ok: true, time: new Date().toISOString() }));
  }

  handleDisconnect() {
    metrics.socketClients.set(this.server.engine.clientsCount);
  }
}
