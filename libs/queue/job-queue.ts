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
  /** Jobs waiting or running, per queue (for metrics and tests). */
  depth(queue: string): Promise<number>;
  /** Stop taking new jobs, let running ones finish, close connections. */
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');
