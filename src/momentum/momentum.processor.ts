import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { JOB_QUEUE, RecurringJob, type JobQueue } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { MomentumService, type RecomputeResult } from './momentum.service.js';

export const MOMENTUM_QUEUE = 'momentum';
export const MOMENTUM_SCHEDULER_ID = 'momentum-every';

/**
 * Worker side of momentum: a BullMQ job scheduler (one schedule, one job per tick, taken by one
 * worker) triggers MomentumService.recompute every MOMENTUM_INTERVAL; the recompute itself holds
 * an advisory lock, so overlapping runs never both write a snapshot.
 */
@Injectable()
export class MomentumProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Momentum');
  private readonly job: RecurringJob;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(JOB_QUEUE) jobs: JobQueue,
    private readonly momentum: MomentumService,
    private readonly schema: SchemaStateService,
  ) {
    this.job = new RecurringJob(jobs, {
      queue: MOMENTUM_QUEUE,
      schedulerId: MOMENTUM_SCHEDULER_ID,
      everyMs: cfg.MOMENTUM_INTERVAL!,
      run: () => this.runOnce(),
      name: 'momentum',
      log: this.log,
      details: () => ({ ...this.momentum.settings }),
    });
  }

  onApplicationBootstrap() {
    if (this.cfg.MOMENTUM_ENABLED) void this.job.start(this.schema.ready);
  }

  onModuleDestroy() {
    this.job.stop();
  }

  async runOnce(): Promise<RecomputeResult> {
    try {
      const r = await this.momentum.recompute();
      if (!r.ran) this.log.debug({ msg: 'momentum recompute skipped: another worker holds the lock' });
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
    } catch (err) {
      this.log.error({ msg: 'momentum recompute failed', error: (err as Error).message });
      throw err;
    }
  }
}
