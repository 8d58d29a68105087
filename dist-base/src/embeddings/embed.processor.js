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
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { QUEUES } from '../../libs/contracts/jobs.js';
import { JOB_QUEUE } from '../../libs/queue/index.js';
import { metrics } from '../../libs/observability/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { BatchVectors } from './batch-vectors.js';
import { EmbeddingsService } from './embeddings.service.js';
import { EventsRepository } from '../events/events.repository.js';
import { EmbeddingsRepository } from './embeddings.repository.js';
/**
 * Worker side of embedding.
 * - `embed-events` jobs (one per batch the relay stored) embed those events right away.
 * - `embed-backfill` jobs walk every event lacking a vector from the active model, in id order
 *   and in chunks: after a model change (new model id, maybe new dims) this re-embeds history,
 *   and it also picks up events whose job was lost. One is enqueued per sweep period, with a
 *   job id per model and period so replicas do not run it twice.
 * - An item the model cannot embed is parked in `embedding_failures` with the error; a batch
 *   fails as a whole (and is retried with backoff) only when the model itself is failing.
 */
let EmbedProcessor = class EmbedProcessor {
    cfg;
    jobs;
    embeddings;
    store;
    events;
    schema;
    batchVectors;
    log = new Logger('EmbedWorker');
    sweepTimer;
    stopped = false;
    constructor(cfg, jobs, embeddings, store, events, schema, batchVectors) {
        this.cfg = cfg;
        this.jobs = jobs;
        this.embeddings = embeddings;
        this.store = store;
        this.events = events;
        this.schema = schema;
        this.batchVectors = batchVectors;
    }
    onApplicationBootstrap() {
        void this.start().catch((err) => this.log.error({ msg: 'embedding worker failed to start', error: err.message }));
    }
    onModuleDestroy() {
        this.stopped = true;
        clearInterval(this.sweepTimer);
    }
    async start() {
        // Workers stay paused until what they need is there (novu's habit).
        await this.schema.ready;
        await this.embeddings.settled;
        if (!this.embeddings.active || this.stopped)
            return;
        // Every loaded link (not just the active one) gets its row and index, so a fallback that
        // starts serving later writes into a ready index.
        for (const p of this.embeddings.providers) {
            await this.store.registerModel(p, { m: this.cfg.SEARCH_HNSW_M, efConstruction: this.cfg.SEARCH_HNSW_EF_CONSTRUCTION });
        }
        const concurrency = this.cfg.EMBED_CONCURRENCY;
        this.jobs.process(QUEUES.embedEvents, async (job) => void (await this.embedIds(job.eventIds)), { concurrency });
        this.jobs.process(QUEUES.embedBackfill, async (job) => void (await this.backfill(job.modelId)), { concurrency: 1 });
        this.sweepTimer = setInterval(() => void this.enqueueBackfill(), this.cfg.EMBED_SWEEP_MS);
        await this.enqueueBackfill();
    }
    async enqueueBackfill() {
        const model = this.embeddings.active;
        if (!model || this.stopped)
            return;
        const period = Math.floor(Date.now() / this.cfg.EMBED_SWEEP_MS);
        await this.jobs
            .enqueue(QUEUES.embedBackfill, { modelId: model.id }, { jobId: `backfill-${model.id.replace(/[^\w.-]/g, '_')}-${period}`, attempts: 3 })
            .catch((err) => this.log.warn({ msg: 'could not enqueue embedding backfill', error: err.message }));
    }
    /**
     * Embeds those of `ids` that lack a vector from the active model. Safe to run twice: writes
     * skip vectors that exist, so a retried job never duplicates one.
     *
     * Pipelined: chunk k is written (one statement, HNSW insert in the Postgres backend) while
     * chunk k+1 is embedded here, with at most one write in flight. Any failure (a write, or a
     * model failing on a whole chunk) waits for the other in-flight step to settle, then throws
     * for the job's retry; what was written stays written and the retry skips it.
     */
    async embedIds(ids) {
        const model = this.embeddings.active;
        if (!model || !ids.length)
            return 0;
        const todo = await this.events.textsWithoutVector(model.id, ids);
        let written = 0;
        let inFlight;
        const settle = async () => {
            const p = inFlight;
            inFlight = undefined;
            if (p)
                written += await p;
        };
        try {
            for (let i = 0; i < todo.length && !this.stopped; i += this.cfg.EMBED_BATCH_SIZE) {
                let rows;
                try {
                    rows = await this.embedChunk(model, todo.slice(i, i + this.cfg.EMBED_BATCH_SIZE));
                }
                catch (err) {
                    await settle().catch(() => undefined); // the earlier chunk's write still lands (and counts)
                    throw err;
                }
                await settle();
                inFlight = this.writeChunk(model.id, rows);
                // Handled when awaited; this only keeps a rejection from counting as unhandled meanwhile.
                inFlight.catch(() => undefined);
            }
            await settle();
        }
        finally {
            metrics.embeddedEvents.inc({ model: model.id }, written);
        }
        return written;
    }
    /** The vectors of one chunk, and the items the model could not embed (to park). */
    async embedChunk(model, chunk) {
        try {
            const vectors = this.batchVectors ? await this.batchVectors.of(model.id, chunk) : await this.embeddings.embed(chunk.map((e) => e.text), model.id);
            return { ok: chunk.map((e, j) => ({ eventId: e.id, vector: vectors[j] })), bad: [] };
        }
        catch (batchErr) {
            metrics.embedFailures.inc({ model: model.id });
            // Find the bad items one by one. If even the first fails alone, the model itself is
            // failing: rethrow so the job is retried later instead of parking good events.
            const ok = [];
            const bad = [];
            for (const e of chunk) {
                try {
                    const [v] = await this.embeddings.embed([e.text], model.id);
                    ok.push({ eventId: e.id, vector: v });
                }
                catch (err) {
                    bad.push({ eventId: e.id, error: err.message });
                }
            }
            if (!ok.length)
                throw batchErr;
            return { ok, bad };
        }
    }
    async writeChunk(modelId, { ok, bad }) {
        if (bad.length) {
            await this.store.recordFailures(modelId, bad);
            this.log.warn({ msg: 'events parked in embedding_failures', model: modelId, count: bad.length, first: bad[0] });
        }
        return this.store.write(modelId, ok);
    }
    /** Embeds every event without a vector from `modelId` (if it is still the active model). */
    async backfill(modelId) {
        const model = this.embeddings.active;
        if (!model || model.id !== modelId)
            return 0;
        let total = 0;
        let after = '0';
        while (!this.stopped) {
            const ids = await this.events.idsWithoutVector(model.id, this.cfg.EMBED_BATCH_SIZE * 8, after);
            if (!ids.length)
                break;
            total += await this.embedIds(ids);
            after = ids[ids.length - 1];
        }
        if (total)
            this.log.log({ msg: 'embedding backfill caught up', model: model.id, embedded: total });
        return total;
    }
};
EmbedProcessor = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(1, Inject(JOB_QUEUE)),
    __param(6, Optional()),
    __metadata("design:paramtypes", [Object, Object, EmbeddingsService,
        EmbeddingsRepository,
        EventsRepository,
        SchemaStateService,
        BatchVectors])
], EmbedProcessor);
export { EmbedProcessor };
//# sourceMappingURL=embed.processor.js.map