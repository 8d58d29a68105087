/**
 * The job seam. Processors are written once against this interface; the BullMQ driver runs them
 * across processes through Redis, the in-process driver runs them in the same process (embedded
 * mode, unit tests). Producers never know which one is in use.
 */
export interface JobOptions {
  /** Same id twice = one job (while the first is still known to the driver). */
  jobId?: string;
  attempts?: number;
  backoffMs?: number;
}

export type JobHandler<T> = (data: T, meta: { attempt: number; id: string }) => Promise<void>;

export interface JobQueue {
  readonly driver: 'bullmq' | 'inprocess';
  enqueue<T>(queue: string, data: T, opts?: JobOptions): Promise<void>;
  /** Starts consuming `queue` in this process. */
  process<T>(queue: string, handler: JobHandler<T>, opts?: { concurrency?: number }): void;
  /**
   * Repeats a job on `queue` every `everyMs`, with `data`. Keyed by `schedulerId`: calling it again
   * with the same id (from any process) updates that schedule, it never adds a second one.
   * - bullmq: a BullMQ job scheduler in Redis. Each tick is one job, taken by one consumer among all
   *   processes; the next tick is queued when a tick starts, so a run that outlasts `everyMs` may
   *   overlap the next one (handlers that must never overlap take a lock of their own).
   * - inprocess: a timer in this process; a tick is dropped while the previous one is still
   *   waiting or running.
   */
  schedule<T>(queue: string, schedulerId: string, everyMs: number, data: T): Promise<void>;
  /** Removes a schedule made by `schedule` (jobs already queued still run). */
  unschedule(queue: string, schedulerId: string): Promise<void>;
  /** Jobs waiting or running, per queue (for metrics and tests). */
  depth(queue: string): Promise<number>;
  /** Stop taking new jobs, let running ones finish, close connections. */
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

/**
 * Depth of each of `queues`, read in parallel (with Redis away each read waits out the driver's
 * deadline before failing); -1 for a queue that could not be read, so a report never fails on it.
 */
export function queueDepths(jobs: Pick<JobQueue, 'depth'>, queues: readonly string[]): Promise<{ name: string; depth: number }[]> {
  return Promise.all(queues.map(async (name) => ({ name, depth: await jobs.depth(name).catch(() => -1) })));
}
