import type { JobQueue } from './job-queue.js';

export interface RecurringJobOptions {
  queue: string;
  schedulerId: string;
  everyMs: number;
  /** One run; this process takes at most one tick at a time. */
  run: () => Promise<unknown>;
  /** What the log calls it: "<name> scheduled", "could not schedule <name>; retrying". */
  name: string;
  log: { log(o: object): void; warn(o: object): void };
  /** Settings worth a line when the schedule lands (besides everyMs). */
  details?: () => Record<string, unknown>;
}

/**
 * A job that repeats on a schedule (see JobQueue.schedule): once `ready` resolves, this process
 * consumes the job's queue and upserts its one schedule; while the queue cannot be reached the
 * upsert is retried with backoff (1 s, doubling up to 30 s) until it lands or stop() is called.
 */
export class RecurringJob {
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobQueue,
    private readonly o: RecurringJobOptions,
  ) {}

  async start(ready: Promise<unknown>) {
    await ready;
    if (this.stopped) return;
    this.jobs.process(this.o.queue, async () => void (await this.o.run()), { concurrency: 1 });
    await this.schedule(1000);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async schedule(delayMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.jobs.schedule(this.o.queue, this.o.schedulerId, this.o.everyMs, {});
      this.o.log.log({ msg: `${this.o.name} scheduled`, everyMs: this.o.everyMs, ...this.o.details?.() });
    } catch (err) {
      this.o.log.warn({ msg: `could not schedule ${this.o.name}; retrying`, error: (err as Error).message, retryInMs: delayMs });
      this.retry = setTimeout(() => void this.schedule(Math.min(delayMs * 2, 30_000)), delayMs);
    }
  }
}
