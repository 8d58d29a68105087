var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { metrics } from '../../../libs/observability/index.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { MAX_SUBSCRIPTIONS } from './connection-auth.js';
import { parseFilter, SubscriptionIndex } from './subscriptions.js';
/**
 * Who is connected and what each client subscribed to: the clients, their filters (a semantic
 * one with its query's vector) and the index that routes a batch to them.
 */
let SubscriptionRegistry = class SubscriptionRegistry {
    embeddings;
    clients = new Map();
    index = new SubscriptionIndex();
    constructor(embeddings) {
        this.embeddings = embeddings;
    }
    /** A new client; `replaying`: its live events are held until the replay of what it missed is done. */
    connect(socket, replaying) {
        const state = { socket, filters: new Map() };
        if (replaying)
            state.pending = [];
        this.clients.set(socket.id, state);
        metrics.socketClients.set(this.clients.size);
        return state;
    }
    disconnect(socket) {
        const state = this.clients.get(socket.id);
        if (state)
            for (const id of [...state.filters.keys()])
                this.removeFilter(state, id);
        this.clients.delete(socket.id);
        metrics.socketClients.set(this.clients.size);
    }
    /** The handshake's subscriptions; invalid ones (and semantic ones while embeddings are away) are skipped. */
    async addInitial(state, initial) {
        for (const f of initial) {
            const r = parseFilter(f);
            if (r.ok && !r.filter.semantic)
                this.addFilter(state, r.filter);
            else if (r.ok)
                await this.withVector(r.filter).then((g) => this.addFilter(state, g)).catch(() => undefined);
        }
    }
    /** A `subscribe` message. An explicit subscription replaces the implicit "everything" of a bare connection. */
    async subscribe(state, input, auth) {
        const parsed = parseFilter(input);
        if (!parsed.ok)
            return parsed;
        let filter = parsed.filter;
        if (filter.semantic) {
            try {
                filter = await this.withVector(filter);
            }
            catch (err) {
                return { ok: false, error: err.message };
            }
        }
        if (state.filters.size >= MAX_SUBSCRIPTIONS)
            return { ok: false, error: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection` };
        if (!auth.subscriptions)
            for (const [id, g] of state.filters)
                if (!g.source && !g.entity && !g.author)
                    this.removeFilter(state, id);
        auth.subscriptions = [];
        return { ok: true, id: this.addFilter(state, filter) };
    }
    unsubscribe(state, id) {
        const ok = typeof id === 'string' && state.filters.has(id);
        if (ok)
            this.removeFilter(state, id);
        return ok ? { ok: true } : { ok: false, error: `no subscription ${String(id)}` };
    }
    /** Per client, the events of `batch` it should get (see SubscriptionIndex.route). */
    route(batch, vectorOf) {
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
    async withVector(f) {
        // A client may subscribe while the model is still loading: wait for the chain to settle.
        await this.embeddings.settled;
        const model = this.embeddings.active;
        if (!model)
            throw new Error('semantic subscriptions need embeddings, which are unavailable right now');
        const [vector] = await this.embeddings.embed([f.semantic.q], model.id);
        return { ...f, vector };
    }
    addFilter(state, f) {
        const id = randomUUID();
        state.filters.set(id, f);
        this.index.add(state, id, f);
        return id;
    }
    removeFilter(state, id) {
        const f = state.filters.get(id);
        if (!f)
            return;
        state.filters.delete(id);
        this.index.remove(state, id, f);
    }
};
SubscriptionRegistry = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [EmbeddingsService])
], SubscriptionRegistry);
export { SubscriptionRegistry };
//# sourceMappingURL=subscription-registry.js.map