var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable, Logger } from '@nestjs/common';
import { BatchVectors } from '../../embeddings/batch-vectors.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { SlowConsumers } from './clients.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { PreEncoded } from './wire.js';
/**
 * Live delivery of stored batches: routes each batch to the clients whose subscriptions match,
 * serialises it once per batch (not at all when it came as JSON over the bus), emits it to rooms
 * of clients that get the same list, holds it for clients still replaying, and drops clients
 * that cannot keep up.
 */
let FanOut = class FanOut {
    registry;
    embeddings;
    vectors;
    slow;
    log = new Logger('Realtime');
    /** Batches are delivered strictly one after another, even when one waits on the model. */
    delivering = Promise.resolve();
    constructor(registry, embeddings, vectors, slow) {
        this.registry = registry;
        this.embeddings = embeddings;
        this.vectors = vectors;
        this.slow = slow;
    }
    /** Queues a batch behind the ones before it. */
    enqueue(server, batch, json) {
        this.delivering = this.delivering.then(() => this.deliver(server, batch, json)).catch((err) => this.log.warn({ msg: 'delivery failed', error: err.message }));
    }
    /** Resolves once every batch queued so far is delivered. */
    get idle() {
        return this.delivering;
    }
    /** `json`: the batch's JSON text as it came over the bus (Redis), if it did. */
    async deliver(server, batch, json) {
        if (!this.registry.size)
            return;
        const routed = this.registry.route(batch, await this.semanticVectors(batch));
        // Clients that get the same list share one encoded packet (socket.io encodes once per emit).
        const groups = new Map();
        for (const [state, routedEvents] of routed) {
            let events = routedEvents;
            if (state.replayedUpTo !== undefined) {
                const upTo = state.replayedUpTo;
                events = events.filter((e) => BigInt(e.id) > upTo);
                if (BigInt(batch[0].id) > upTo)
                    state.replayedUpTo = undefined; // live batches have passed the replay
                if (!events.length)
                    continue;
            }
            if (state.pending) {
                this.slow.hold(state, events);
                continue;
            }
            if (this.slow.tooSlow(state))
                continue;
            const sig = events.length === batch.length ? '*' : events.map((e) => e.id).join(',');
            let g = groups.get(sig);
            if (!g)
                groups.set(sig, (g = { events, rooms: [] }));
            g.rooms.push(state.socket.id);
        }
        // Each event is serialised at most once per batch, however many different lists it is in;
        // the whole batch not at all when it came as JSON over the bus. Same bytes on the wire.
        const texts = new Map();
        const textOf = (e) => {
            let t = texts.get(e);
            if (t === undefined)
                texts.set(e, (t = JSON.stringify(e)));
            return t;
        };
        for (const [sig, g] of groups) {
            const body = sig === '*' && json !== undefined ? json : `[${g.events.map(textOf).join(',')}]`;
            server.to(g.rooms).emit('events', new PreEncoded(body));
        }
    }
    /**
     * The batch's vectors, only when someone holds a semantic subscription: once per batch and
     * model, not per subscription. They come from BatchVectors, which the embed job of this process
     * asks too, so in the all-in-one process the batch is embedded once, by whichever asks first.
     * Without a model (or when it fails) semantic filters match nothing this batch.
     */
    async semanticVectors(batch) {
        const model = this.embeddings.active;
        if (this.registry.semanticCount === 0 || !model)
            return undefined;
        return this.vectors.lookup(model.id, batch).catch(() => undefined);
    }
};
FanOut = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [SubscriptionRegistry,
        EmbeddingsService,
        BatchVectors,
        SlowConsumers])
], FanOut);
export { FanOut };
//# sourceMappingURL=fan-out.js.map