import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../libs/contracts/jobs.js';
import { registry } from '../../libs/observability/index.js';
import { JOB_QUEUE, queueDepths, type JobQueue } from '../../libs/queue/index.js';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Gauges read at scrape time rather than kept up to date: Postgres pool usage and job queue
 * depth. (Event-loop lag comes with prom-client's default metrics: sift_process_nodejs_eventloop_lag_*.)
 */
@Injectable()
export class RuntimeMetrics implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
  ) {}

  onModuleInit() {
    const pool = () => (this.ds.driver as unknown as { master?: PgPool }).master;
    const ds = this.ds;
    registry.removeSingleMetric('sift_db_pool_connections');
    registry.removeSingleMetric('sift_queue_depth');
    new Gauge({
      name: 'sift_db_pool_connections',
      help: 'Postgres pool connections by state (waiting = requests queued for a connection)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const p = ds.isInitialized ? pool() : undefined;
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    const jobs = this.jobs;
    new Gauge({
      name: 'sift_queue_depth',
      help: 'Jobs waiting or running, per queue (-1: Redis could not be read)',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        for (const q of await queueDepths(jobs, Object.values(QUEUES))) this.set({ queue: q.name }, q.depth);
      },
    });
  }
}
