var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Inject } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { EVENT_BUS, TOPICS } from '../../../libs/bus/event-bus.js';
import { ConnectionAuth, MAX_SUBSCRIPTIONS } from './connection-auth.js';
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
let EventsGateway = class EventsGateway {
    bus;
    auth;
    registry;
    replay;
    fanOut;
    server;
    constructor(bus, auth, registry, replay, fanOut) {
        this.bus = bus;
        this.auth = auth;
        this.registry = registry;
        this.replay = replay;
        this.fanOut = fanOut;
    }
    afterInit(server) {
        server.use(this.auth.middleware);
    }
    async onApplicationBootstrap() {
        // Trend changes are few and small: every client gets them.
        await this.bus.subscribe(TOPICS.trendsChanged, (change) => this.server.emit('trends', change));
        await this.bus.subscribe(TOPICS.eventsStored, (batch, json) => this.fanOut.enqueue(this.server, batch, json));
    }
    /** Graceful shutdown: tell clients to reconnect (elsewhere) before the server closes. */
    onModuleDestroy() {
        this.server?.emit('reconnect_hint', { afterMs: 1000 });
    }
    async handleConnection(socket) {
        const h = this.auth.handshake(socket);
        if (!h.ok) {
            socket.emit('overflow', { buffered: 0, limit: MAX_SUBSCRIPTIONS });
            socket.disconnect(true);
            return;
        }
        const state = this.registry.connect(socket, h.lastEventId !== undefined);
        await this.registry.addInitial(state, h.initial);
        socket.on('subscribe', async (f, ack) => {
            const reply = await this.registry.subscribe(state, f, h.auth);
            if (typeof ack === 'function')
                ack(reply);
        });
        socket.on('unsubscribe', (id, ack) => {
            const reply = this.registry.unsubscribe(state, id);
            if (typeof ack === 'function')
                ack(reply);
        });
        socket.on('ping', (ack) => typeof ack === 'function' && ack({ ok: true, time: new Date().toISOString() }));
        if (h.lastEventId)
            await this.replay.recover(state, h.lastEventId);
    }
    handleDisconnect(socket) {
        this.registry.disconnect(socket);
    }
};
__decorate([
    WebSocketServer(),
    __metadata("design:type", Function)
], EventsGateway.prototype, "server", void 0);
EventsGateway = __decorate([
    WebSocketGateway({ cors: { origin: true }, maxHttpBufferSize: 64 * 1024, parser: wireParser }),
    __param(0, Inject(EVENT_BUS)),
    __metadata("design:paramtypes", [Object, ConnectionAuth,
        SubscriptionRegistry,
        Replay,
        FanOut])
], EventsGateway);
export { EventsGateway };
//# sourceMappingURL=events.gateway.js.map