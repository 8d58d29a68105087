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
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { BatchVectors } from '../../embeddings/batch-vectors.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { EventsRepository } from '../../events/events.repository.js';
import { RECOVERY_CHUNK, SlowConsumers } from './clients.js';
import { matches } from './subscriptions.js';
/**
 * A client that reconnects with `lastEventId` first gets what it missed, read from Postgres in
 * id order in chunks, then the live events held for it meanwhile: every event once, in order.
 */
let Replay = class Replay {
    cfg;
    events;
    embeddings;
    vectors;
    slow;
    log = new Logger('Realtime');
    constructor(cfg, events, embeddings, vectors, slow) {
        this.cfg = cfg;
        this.events = events;
        this.embeddings = embeddings;
        this.vectors = vectors;
        this.slow = slow;
    }
    /** Replays what the client missed, then releases the live events held meanwhile. */
    async recover(state, lastEventId) {
        let sent = 0;
        let last = lastEventId;
        let complete = true;
        try {
            const max = this.cfg.SOCKET_RECOVERY_MAX_EVENTS;
            const filters = [...state.filters.values()];
            const semantic = filters.some((f) => f.semantic);
            // SQL narrows by the plain fields; semantic filters are then applied to the candidates here.
            const sqlFilters = filters.map(({ source, entity, author }) => ({ source, entity, author }));
            while (state.socket.connected) {
                const candidates = await this.events.missedSince(last, sqlFilters, this.cfg.SOCKET_RECOVERY_WINDOW_MS, Math.min(RECOVERY_CHUNK, max - sent));
                if (!candidates.length)
                    break;
                last = candidates[candidates.length - 1].id;
                const chunk = semantic ? await this.keepMatching(candidates, filters) : candidates;
                if (chunk.length)
                    state.socket.emit('events', chunk);
                sent += chunk.length;
                if (sent >= max) {
                    complete = false;
                    break;
                }
                if (this.slow.tooSlow(state))
                    return;
            }
        }
        catch (err) {
            complete = false;
            this.log.warn({ msg: 'socket recovery failed', error: err.message });
        }
        // Held live events: those the replay already covered (id ≤ last) are dropped, the rest sent.
        const held = (state.pending ?? []).filter((e) => BigInt(e.id) > BigInt(last));
        state.pending = undefined;
        state.replayedUpTo = BigInt(held.length ? held[held.length - 1].id : last);
        if (held.length)
            state.socket.emit('events', held);
        state.socket.emit('recovered', { from: lastEventId, count: sent, complete });
    }
    async keepMatching(events, filters) {
        const model = this.embeddings.active;
        const vectorOf = model ? await this.vectors.lookup(model.id, events) : undefined;
        return events.filter((e) => filters.some((f) => matches(f, e, vectorOf)));
    }
};
Replay = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(1, Inject(EventsRepository)),
    __metadata("design:paramtypes", [Object, Object, EmbeddingsService,
        BatchVectors,
        SlowConsumers])
], Replay);
export { Replay };
//# sourceMappingURL=replay.js.map