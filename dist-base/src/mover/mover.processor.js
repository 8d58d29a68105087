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
import { JOB_QUEUE, RecurringJob } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { Mover } from './mover.js';
/** Queue and scheduler id of the mover job (worker role only; nobody else enqueues it). */
export const MOVER_QUEUE = 'mover';
export const MOVER_SCHEDULER_ID = 'mover-every';
/**
 * Worker side of the mover: one BullMQ job scheduler (upserted by every worker at boot, so there
 * is one schedule however many workers run) fires a run every MOVER_INTERVAL, taken by one
 * worker. Runs that overlap (a slow run, a stalled job re-run elsewhere) are safe: a batch beside
 * another claims rows with FOR UPDATE SKIP LOCKED (see Mover) and partition DDL is serialised by
 * an advisory lock.
 */
let MoverProcessor = class MoverProcessor {
    cfg;
    mover;
    schema;
    log = new Logger('Mover');
    job;
    last;
    constructor(cfg, jobs, mover, schema) {
        this.cfg = cfg;
        this.mover = mover;
        this.schema = schema;
        this.job = new RecurringJob(jobs, {
            queue: MOVER_QUEUE,
            schedulerId: MOVER_SCHEDULER_ID,
            everyMs: cfg.MOVER_INTERVAL,
            run: () => this.runOnce(),
            onScheduled: () => this.log.log({ msg: 'mover scheduled', everyMs: cfg.MOVER_INTERVAL, hotWindowMs: cfg.MOVER_HOT_WINDOW, batchSize: cfg.MOVER_BATCH_SIZE }),
            onScheduleFailed: (err, retryInMs) => this.log.warn({ msg: 'could not schedule the mover; retrying', error: err.message, retryInMs }),
        });
    }
    onApplicationBootstrap() {
        if (this.cfg.MOVER_ENABLED)
            void this.job.start(this.schema.ready);
    }
    onModuleDestroy() {
        this.job.stop();
        this.mover.stop();
    }
    /** One run, logged; throws when the run failed so the job is recorded as failed. */
    async runOnce() {
        const r = await this.mover.run();
        this.last = r;
        const line = {
            msg: r.error ? 'mover run failed' : 'mover run',
            moved: r.moved,
            batches: r.batches,
            durationMs: Math.round(r.durationMs),
            rowsPerSecond: r.durationMs > 0 ? Math.round((r.moved * 1000) / r.durationMs) : 0,
            oldestHotAgeSeconds: r.oldestHotAgeSeconds === null ? null : Math.round(r.oldestHotAgeSeconds),
            lagSeconds: Math.round(r.lagSeconds),
            vectorsArchived: r.vectorsArchived,
            vectorsDeleted: r.vectorsDeleted,
            partitionsCreated: r.partitionsCreated,
            partitionsDropped: r.purge?.droppedPartitions ?? [],
            vacuumed: r.vacuumed,
            error: r.error,
        };
        if (r.error) {
            this.log.error(line);
            throw new Error(r.error);
        }
        // Idle runs are debug-level so a quiet system does not log every tick.
        if (r.moved || r.partitionsCreated.length || r.purge?.droppedPartitions.length || r.vacuumed.length || r.lagSeconds > 0)
            this.log.log(line);
        else
            this.log.debug(line);
        return r;
    }
};
MoverProcessor = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(1, Inject(JOB_QUEUE)),
    __metadata("design:paramtypes", [Object, Object, Mover,
        SchemaStateService])
], MoverProcessor);
export { MoverProcessor };
//# sourceMappingURL=mover.processor.js.map