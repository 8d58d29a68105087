import { Queue, Worker } from 'bullmq';
/** BullMQ over Redis: producers and consumers may be different processes. */
export class BullMqJobQueue {
    redisUrl;
    prefix;
    onFailed;
    driver = 'bullmq';
    queues = new Map();
    workers = [];
    constructor(redisUrl, prefix = 'sift', onFailed) {
        this.redisUrl = redisUrl;
        this.prefix = prefix;
        this.onFailed = onFailed;
    }
    connection() {
        const u = new URL(this.redisUrl);
        return {
            host: u.hostname,
            port: Number(u.port || 6379),
            username: u.username || undefined,
            password: u.password ? decodeURIComponent(u.password) : undefined,
            db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
            tls: u.protocol === 'rediss:' ? {} : undefined,
            // Workers must block on Redis indefinitely; BullMQ requires this to be null.
            maxRetriesPerRequest: null,
        };
    }
    queue(name) {
        let q = this.queues.get(name);
        if (!q) {
            q = new Queue(name, { connection: this.connection(), prefix: this.prefix });
            this.queues.set(name, q);
        }
        return q;
    }
    async enqueue(queue, data, opts = {}) {
        await this.queue(queue).add(queue, data, {
            jobId: opts.jobId,
            attempts: opts.attempts ?? 3,
            backoff: { type: 'exponential', delay: opts.backoffMs ?? 1000 },
            removeOnComplete: { count: 1000 },
            removeOnFail: { count: 5000 },
        });
    }
    async schedule(queue, schedulerId, everyMs, data) {
        if (!(everyMs >= 1))
            throw new Error(`schedule ${schedulerId}: everyMs must be >= 1`);
        await this.queue(queue).upsertJobScheduler(schedulerId, { every: Math.round(everyMs) }, {
            name: queue,
            data,
            // A failed tick is not retried: the next tick is the retry. History stays bounded.
            opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
        });
    }
    async unschedule(queue, schedulerId) {
        await this.queue(queue).removeJobScheduler(schedulerId);
    }
    process(queue, handler, opts = {}) {
        const w = new Worker(queue, async (job) => handler(job.data, { attempt: job.attemptsMade + 1, id: job.id ?? '' }), { connection: this.connection(), prefix: this.prefix, concurrency: opts.concurrency ?? 1 });
        w.on('failed', (_job, err) => this.onFailed?.(queue, err));
        // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
        w.on('error', () => undefined);
        this.workers.push(w);
    }
    async depth(queue) {
        const c = await this.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(c).reduce((a, b) => a + b, 0);
    }
    async close() {
        // Workers first: close() waits for running jobs to finish.
        await Promise.allSettled(this.workers.map((w) => w.close()));
        await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    }
}
//# sourceMappingURL=bullmq.driver.js.map