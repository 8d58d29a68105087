import { Queue, Worker } from 'bullmq';
import type { JobHandler, JobOptions, JobQueue } from './job-queue.js';

/**
 * BullMQ waits for its connection to be ready before any command, however long that takes: a
 * producer call gets this long, then fails (the caller logs it and moves on).
 */
const PRODUCER_DEADLINE_MS = 2000;

function withDeadline<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: Redis did not answer within ${PRODUCER_DEADLINE_MS} ms`)), PRODUCER_DEADLINE_MS);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** BullMQ over Redis: producers and consumers may be different processes. */
export class BullMqJobQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly prefix = 'sift',
    private readonly onFailed?: (queue: string, err: unknown) => void,
  ) {}

  /**
   * Workers block on Redis and must wait through an outage (BullMQ requires
   * maxRetriesPerRequest: null for them). Producers fail fast instead: with Redis away an
   * enqueue or a depth read throws at once rather than hanging the caller (a relay batch, an
   * API request) until Redis is back; the embed sweep re-finds work whose job could not be queued.
   */
  private connection(role: 'worker' | 'producer') {
    const u = new URL(this.redisUrl);
    return {
      host: u.hostname,
      port: Number(u.port || 6379),
      username: u.username || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
      ...(role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
    };
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection('producer'), prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<T>(queue: string, data: T, opts: JobOptions = {}): Promise<void> {
    await withDeadline(
      `enqueue on ${queue}`,
      this.queue(queue).add(queue, data, {
        jobId: opts.jobId,
        attempts: opts.attempts ?? 3,
        backoff: { type: 'exponential', delay: opts.backoffMs ?? 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      }),
    );
  }

  async schedule<T>(queue: string, schedulerId: string, everyMs: number, data: T): Promise<void> {
    if (!(everyMs >= 1)) throw new Error(`schedule ${schedulerId}: everyMs must be >= 1`);
    await this.queue(queue).upsertJobScheduler(
      schedulerId,
      { every: Math.round(everyMs) },
      {
        name: queue,
        data,
        // A failed tick is not retried: the next tick is the retry. History stays bounded.
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
      },
    );
  }

  async unschedule(queue: string, schedulerId: string): Promise<void> {
    await this.queue(queue).removeJobScheduler(schedulerId);
  }

  process<T>(queue: string, handler: JobHandler<T>, opts: { concurrency?: number } = {}): void {
    const w = new Worker(
      queue,
      async (job) => handler(job.data as T, { attempt: job.attemptsMade + 1, id: job.id ?? '' }),
      { connection: this.connection('worker'), prefix: this.prefix, concurrency: opts.concurrency ?? 1 },
    );
    w.on('failed', (_job, err) => this.onFailed?.(queue, err));
    // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
    w.on('error', () => undefined);
    this.workers.push(w);
  }

  async depth(queue: string): Promise<number> {
    const c = await withDeadline(`depth of ${queue}`, this.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'prioritized'));
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    // Workers first: close() waits for running jobs to finish.
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
