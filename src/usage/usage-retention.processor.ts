import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { JOB_QUEUE, RecurringJob, type JobQueue } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { UsageRepository } from './usage.repository.js';

export const USAGE_RETENTION_QUEUE = 'usage-retention';

/**
 * Worker side of usage: a job scheduler (one run per tick across all workers) deletes minute
 * rows past USAGE_MINUTE_RETENTION and hour rows past USAGE_HOUR_RETENTION. Day rows are kept.
 * Rollups need no job: every flush adds to the minute, hour and day rows at once.
 */
@Injectable()
export class UsageRetentionProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('UsageRetention');
  private readonly job: RecurringJob;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(JOB_QUEUE) jobs: JobQueue,
    private readonly repo: UsageRepository,
    private readonly schema: SchemaStateService,
  ) {
    this.job = new RecurringJob(jobs, {
      queue: USAGE_RETENTION_QUEUE,
      schedulerId: 'usage-retention-every',
      everyMs: cfg.USAGE_RETENTION_INTERVAL!,
      run: () => this.runOnce(),
      name: 'usage retention',
      log: this.log,
    });
  }

  onApplicationBootstrap() {
    if (this.cfg.USAGE_METERING) void this.job.start(this.schema.ready);
  }

  onModuleDestroy() {
    this.job.stop();
  }

  async runOnce(): Promise<{ minutes: number; hours: number }> {
    const minutes = await this.repo.deleteOlderThan('minute', this.cfg.USAGE_MINUTE_RETENTION!);
    const hours = await this.repo.deleteOlderThan('hour', this.cfg.USAGE_HOUR_RETENTION!);
    if (minutes || hours) this.log.log({ msg: 'usage rows past retention deleted', minutes, hours });
    return { minutes, hours };
  }
}
