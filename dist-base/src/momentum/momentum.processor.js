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
import { MomentumService } from './momentum.service.js';
export const MOMENTUM_QUEUE = 'momentum';
export const MOMENTUM_SCHEDULER_ID = 'momentum-every';
/**
 * Worker side of momentum: a BullMQ job scheduler (one schedule, one job per tick, taken by one
 * worker) triggers MomentumService.recompute every MOMENTUM_INTERVAL; the recompute itself holds
 * an advisory lock, so overlapping runs never both write a snapshot.
 */
let MomentumProcessor = class MomentumProcessor {
    cfg;
    momentum;
    schema;
    log = new Logger('Momentum');
    job;
    constructor(cfg, jobs, momentum, schema) {
        this.cfg = cfg;
        this.momentum = momentum;
        this.schema = schema;
        this.job = new RecurringJob(jobs, {
            queue: MOMENTUM_QUEUE,
            schedulerId: MOMENTUM_SCHEDULER_ID,
            everyMs: cfg.MOMENTUM_INTERVAL,
            run: () => this.runOnce(),
            onScheduled: () => this.log.log({ msg: 'momentum scheduled', everyMs: cfg.MOMENTUM_INTERVAL, ...this.momentum.settings }),
            onScheduleFailed: (err, retryInMs) => this.log.warn({ msg: 'could not schedule momentum; retrying', error: err.message, retryInMs }),
        });
    }
    onApplicationBootstrap() {
        if (this.cfg.MOMENTUM_ENABLED)
            void this.job.start(this.schema.ready);
    }
    onModuleDestroy() {
        this.job.stop();
    }
    async runOnce() {
        try {
            const r = await this.momentum.recompute();
            if (!r.ran)
                this.log.debug({ msg: 'momentum recompute skipped: another worker holds the lock' });
            else if (r.changed)
                this.log.log({
                    msg: 'trends changed',
                    snapshotId: r.snapshotId,
                    top: r.items.slice(0, 5).map((i) => i.entity),
                    entered: r.changed.entered,
                    left: r.changed.left,
                    crossed: r.changed.crossed.map((c) => `${c.entity} ${c.direction}`),
                    durationMs: Math.round(r.durationMs),
                });
            return r;
        }
        catch (err) {
            this.log.error({ msg: 'momentum recompute failed', error: err.message });
            throw err;
        }
    }
};
MomentumProcessor = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(1, Inject(JOB_QUEUE)),
    __metadata("design:paramtypes", [Object, Object, MomentumService,
        SchemaStateService])
], MomentumProcessor);
export { MomentumProcessor };
//# sourceMappingURL=momentum.processor.js.map