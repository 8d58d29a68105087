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
import { EmbeddingsService } from './embeddings.service.js';
/** Events remembered: a few seconds of a busy firehose, ~4 MB of vectors at 100 dims. */
const REMEMBERED = 10_000;
/**
 * Vectors of stored events, embedded once per model in this process. The relay hands each
 * stored batch both to socket.io fan-out (semantic subscriptions need its vectors before they
 * can route it) and to the embed job; in the all-in-one process both used to embed the same
 * texts. Both now ask here: whichever comes first embeds the batch (one provider call), the
 * other gets the same vectors, also while that call is still running. Stored events never change,
 * so an event id and a model id name one vector. Only the last {@link REMEMBERED} events are kept;
 * a failed call is forgotten, so a retry embeds again.
 */
let BatchVectors = class BatchVectors {
    embeddings;
    memo = new Map();
    constructor(embeddings) {
        this.embeddings = embeddings;
    }
    /** One vector per event, in order, from `modelId` (see EmbeddingsService.embed). */
    async of(modelId, events) {
        const out = new Array(events.length);
        const todo = [];
        for (let i = 0; i < events.length; i++) {
            const known = this.memo.get(key(modelId, events[i].id));
            if (known)
                out[i] = known;
            else
                todo.push(i);
        }
        if (todo.length) {
            const call = this.embeddings.embed(todo.map((i) => events[i].text), modelId);
            todo.forEach((i, j) => {
                const k = key(modelId, events[i].id);
                const v = call.then((vs) => vs[j]);
                v.catch(() => {
                    if (this.memo.get(k) === v)
                        this.memo.delete(k);
                });
                this.memo.set(k, (out[i] = v));
            });
            for (const k of this.memo.keys()) {
                if (this.memo.size <= REMEMBERED)
                    break;
                this.memo.delete(k);
            }
        }
        return Promise.all(out);
    }
    /** {@link of} as a lookup by event (the shape SubscriptionIndex.route and matches() take). */
    async lookup(modelId, events) {
        const vectors = await this.of(modelId, events);
        const byEvent = new Map(events.map((e, i) => [e, vectors[i]]));
        return (e) => byEvent.get(e);
    }
};
BatchVectors = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [EmbeddingsService])
], BatchVectors);
export { BatchVectors };
const key = (modelId, eventId) => `${modelId}\u0000${eventId}`;
//# sourceMappingURL=batch-vectors.js.map