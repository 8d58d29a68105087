import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { JOB_QUEUE, RecurringJob, type JobQueue } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { Mover, type MoveRunReport } from './mover.js';

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
@Injectable()
export class MoverProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Mover');
  private readonly job: RecurringJob;
  last?: MoveRunReport;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(JOB_QUEUE) jobs: JobQueue,
    private readonly mover: Mover,
    private readonly schema: SchemaStateService,
  ) {
    this.job = new RecurringJob(jobs, {
      queue: MOVER_QUEUE,
      schedulerId: MOVER_SCHEDULER_ID,
      everyMs: cfg.MOVER_INTERVAL!,
      run: () => this.runOnce(),
      name: 'the mover',
      log: this.log,
      details: () => ({ hotWindowMs: cfg.MOVER_HOT_WINDOW, batchSize: cfg.MOVER_BATCH_SIZE }),
    });
  }

  onApplicationBootstrap() {
    if (this.cfg.MOVER_ENABLED) void this.job.start(this.schema.ready);
  }

  onModuleDestroy() {
    this.job.stop();
    this.mover.stop();
  }

  /** One run, logged; throws when the run failed so the job is recorded as failed. */
  async runOnce(): Promise<MoveRunReport> {
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
    if (r.moved || r.partitionsCreated.length || r.purge?.droppedPartitions.length || r.vacuumed.length || r.lagSeconds > 0) this.log.log(line);
    else this.log.debug(line);
    return r;
  }
}
