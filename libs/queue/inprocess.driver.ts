import type { JobHandler, JobOptions, JobQueue } from './job-queue.js';

interface PendingJob {
  id: string;
  data: unknown;
  attempt: number;
  attempts: number;
  backoffMs: number;
}

/** Runs jobs in this process with the same retry semantics as the BullMQ driver. */
export class InProcessJobQueue implements JobQueue {
  readonly driver = 'inprocess' as const;
  private readonly pending = new Map<string, PendingJob[]>();
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number; running: number }>();
  private readonly known = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Jobs waiting out a retry backoff, per queue (BullMQ's "delayed"). */
  private readonly delayed = new Map<string, number>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private seq = 0;
  private closed = false;

  constructor(private readonly onFailed?: (queue: string, err: unknown) => void) {}

  async enqueue<T>(queue: string, data: T, opts: JobOptions = {}): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    const id = opts.jobId ?? `${queue}:${++this.seq}`;
    if (this.known.has(id)) return;
    this.known.add(id);
    this.push(queue, { id, data, attempt: 1, attempts: opts.attempts ?? 3, backoffMs: opts.backoffMs ?? 1000 });
  }

  process<T>(queue: string, handler: JobHandler<T>, opts: { concurrency?: number } = {}): void {
    this.handlers.set(queue, { handler: handler as JobHandler<unknown>, concurrency: opts.concurrency ?? 1, running: 0 });
    this.pump(queue);
  }

  async schedule<T>(queue: string, schedulerId: string, everyMs: number, data: T): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    if (!(everyMs >= 1)) throw new Error(`schedule ${schedulerId}: everyMs must be >= 1`);
    const key = `${queue}\u0000${schedulerId}`;
    clearInterval(this.schedules.get(key));
    // One job id per schedule: enqueue() drops the tick while the previous one is still known.
    const tick = () => void this.enqueue(queue, data, { jobId: `scheduler:${schedulerId}`, attempts: 1 }).catch(() => undefined);
    this.schedules.set(key, setInterval(tick, Math.round(everyMs)));
    tick();
  }

  async unschedule(queue: string, schedulerId: string): Promise<void> {
    const key = `${queue}\u0000${schedulerId}`;
    clearInterval(this.schedules.get(key));
    this.schedules.delete(key);
  }

  async depth(queue: string): Promise<number> {
    return (this.pending.get(queue)?.length ?? 0) + (this.handlers.get(queue)?.running ?? 0) + (this.delayed.get(queue) ?? 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.schedules.values()) clearInterval(t);
    this.schedules.clear();
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.inflight]);
  }

  private push(queue: string, job: PendingJob) {
    const list = this.pending.get(queue) ?? [];
    list.push(job);
    this.pending.set(queue, list);
    this.pump(queue);
  }

  private pump(queue: string) {
    const h = this.handlers.get(queue);
    const list = this.pending.get(queue);
    while (h && list?.length && h.running < h.concurrency && !this.closed) {
      const job = list.shift()!;
      h.running++;
      const run = h
        .handler(job.data, { attempt: job.attempt, id: job.id })
        .then(
          () => void this.known.delete(job.id),
          (err) => {
            this.onFailed?.(queue, err);
            if (job.attempt < job.attempts && !this.closed) {
              this.delayed.set(queue, (this.delayed.get(queue) ?? 0) + 1);
              const t = setTimeout(() => {
                this.timers.delete(t);
                this.delayed.set(queue, this.delayed.get(queue)! - 1);
                this.push(queue, { ...job, attempt: job.attempt + 1 });
              }, job.backoffMs * 2 ** (job.attempt - 1));
              this.timers.add(t);
            } else void this.known.delete(job.id);
          },
        )
        .finally(() => {
          h.running--;
          this.inflight.delete(run);
          this.pump(queue);
        });
      this.inflight.add(run);
    }
  }
}
