/** Runs jobs in this process with the same retry semantics as the BullMQ driver. */
export class InProcessJobQueue {
    onFailed;
    driver = 'inprocess';
    pending = new Map();
    handlers = new Map();
    known = new Set();
    timers = new Set();
    /** Jobs waiting out a retry backoff, per queue (BullMQ's "delayed"). */
    delayed = new Map();
    inflight = new Set();
    schedules = new Map();
    seq = 0;
    closed = false;
    constructor(onFailed) {
        this.onFailed = onFailed;
    }
    async enqueue(queue, data, opts = {}) {
        if (this.closed)
            throw new Error('job queue is closed');
        const id = opts.jobId ?? `${queue}:${++this.seq}`;
        if (this.known.has(id))
            return;
        this.known.add(id);
        this.push(queue, { id, data, attempt: 1, attempts: opts.attempts ?? 3, backoffMs: opts.backoffMs ?? 1000 });
    }
    process(queue, handler, opts = {}) {
        this.handlers.set(queue, { handler: handler, concurrency: opts.concurrency ?? 1, running: 0 });
        this.pump(queue);
    }
    async schedule(queue, schedulerId, everyMs, data) {
        if (this.closed)
            throw new Error('job queue is closed');
        if (!(everyMs >= 1))
            throw new Error(`schedule ${schedulerId}: everyMs must be >= 1`);
        const key = `${queue}\u0000${schedulerId}`;
        clearInterval(this.schedules.get(key));
        // One job id per schedule: enqueue() drops the tick while the previous one is still known.
        const tick = () => void this.enqueue(queue, data, { jobId: `scheduler:${schedulerId}`, attempts: 1 }).catch(() => undefined);
        this.schedules.set(key, setInterval(tick, Math.round(everyMs)));
        tick();
    }
    async unschedule(queue, schedulerId) {
        const key = `${queue}\u0000${schedulerId}`;
        clearInterval(this.schedules.get(key));
        this.schedules.delete(key);
    }
    async depth(queue) {
        return (this.pending.get(queue)?.length ?? 0) + (this.handlers.get(queue)?.running ?? 0) + (this.delayed.get(queue) ?? 0);
    }
    async close() {
        this.closed = true;
        for (const t of this.schedules.values())
            clearInterval(t);
        this.schedules.clear();
        for (const t of this.timers)
            clearTimeout(t);
        await Promise.allSettled([...this.inflight]);
    }
    push(queue, job) {
        const list = this.pending.get(queue) ?? [];
        list.push(job);
        this.pending.set(queue, list);
        this.pump(queue);
    }
    pump(queue) {
        const h = this.handlers.get(queue);
        const list = this.pending.get(queue);
        while (h && list?.length && h.running < h.concurrency && !this.closed) {
            const job = list.shift();
            h.running++;
            const run = h
                .handler(job.data, { attempt: job.attempt, id: job.id })
                .then(() => void this.known.delete(job.id), (err) => {
                this.onFailed?.(queue, err);
                if (job.attempt < job.attempts && !this.closed) {
                    this.delayed.set(queue, (this.delayed.get(queue) ?? 0) + 1);
                    const t = setTimeout(() => {
                        this.timers.delete(t);
                        this.delayed.set(queue, this.delayed.get(queue) - 1);
                        this.push(queue, { ...job, attempt: job.attempt + 1 });
                    }, job.backoffMs * 2 ** (job.attempt - 1));
                    this.timers.add(t);
                }
                else
                    void this.known.delete(job.id);
            })
                .finally(() => {
                h.running--;
                this.inflight.delete(run);
                this.pump(queue);
            });
            this.inflight.add(run);
        }
    }
}
//# sourceMappingURL=inprocess.driver.js.map