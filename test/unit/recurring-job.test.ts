import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecurringJob, type JobQueue } from '../../libs/queue/index.js';

/** A JobQueue whose schedule() fails `failures` times, recording what it was asked. */
function fakeQueue(failures: number) {
  const calls = { process: [] as string[], schedule: 0 };
  const q = {
    driver: 'inprocess',
    process: (queue: string) => void calls.process.push(queue),
    schedule: async () => {
      calls.schedule++;
      if (calls.schedule <= failures) throw new Error('redis down');
    },
  } as unknown as JobQueue;
  return { q, calls };
}

describe('RecurringJob', () => {
  afterEach(() => vi.useRealTimers());

  it('waits for ready, consumes its queue once, and retries the schedule with doubling delays until it lands', async () => {
    vi.useFakeTimers();
    const { q, calls } = fakeQueue(2);
    const failed: number[] = [];
    let scheduled = 0;
    let ready!: () => void;
    const job = new RecurringJob(q, { queue: 'mover', schedulerId: 'every', everyMs: 5000, run: async () => undefined, name: 'the mover', log: { log: () => scheduled++, warn: (o: any) => failed.push(o.retryInMs) } });
    const started = job.start(new Promise<void>((r) => (ready = r)));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.process).toEqual([]);
    ready();
    await started;
    expect(calls.process).toEqual(['mover']);
    expect(failed).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(failed).toEqual([1000, 2000]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.schedule).toBe(3);
    expect(scheduled).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.schedule).toBe(3);
  });

  it('stop() cancels a pending retry, and a job stopped before ready never starts', async () => {
    vi.useFakeTimers();
    const { q, calls } = fakeQueue(100);
    const opts = { queue: 'm', schedulerId: 'e', everyMs: 1000, run: async () => undefined, name: 'm', log: { log: () => undefined, warn: () => undefined } };
    const job = new RecurringJob(q, opts);
    await job.start(Promise.resolve());
    job.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.schedule).toBe(1);

    const early = new RecurringJob(q, opts);
    early.stop();
    await early.start(Promise.resolve());
    expect(calls.process).toEqual(['m']);
  });
});
