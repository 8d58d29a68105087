/**
 * A job that repeats on a schedule (see JobQueue.schedule): once `ready` resolves, this process
 * consumes the job's queue and upserts its one schedule; while the queue cannot be reached the
 * upsert is retried with backoff (1 s, doubling up to 30 s) until it lands or stop() is called.
 */
export class RecurringJob {
    jobs;
    o;
    stopped = false;
    retry;
    constructor(jobs, o) {
        this.jobs = jobs;
        this.o = o;
    }
    async start(ready) {
        await ready;
        if (this.stopped)
            return;
        this.jobs.process(this.o.queue, async () => void (await this.o.run()), { concurrency: 1 });
        await this.schedule(1000);
    }
    stop() {
        this.stopped = true;
        clearTimeout(this.retry);
    }
    async schedule(delayMs) {
        if (this.stopped)
            return;
        try {
            await this.jobs.schedule(this.o.queue, this.o.schedulerId, this.o.everyMs, {});
            this.o.onScheduled();
        }
        catch (err) {
            this.o.onScheduleFailed(err, delayMs);
            this.retry = setTimeout(() => void this.schedule(Math.min(delayMs * 2, 30_000)), delayMs);
        }
    }
}
//# sourceMappingURL=recurring-job.js.map