import { setTimeout as sleep } from 'node:timers/promises';
import { sqlState } from '../../libs/database/index.js';
import { metrics } from '../../libs/observability/index.js';
import { lastCursor, maxCursor } from './cursors.js';
import { OUT_OF_TURN } from '../events/events.repository.js';
import { QUARANTINE_RAW_BYTES } from './intake.js';
/**
 * Batches a source's buffer into writes: a batch goes when it is full or its linger is over.
 * Up to `writesInFlight` batches are written at once, but they commit in the order they were
 * read: each batch's cursor is chained to the batch before it, so one that reaches Postgres
 * first is refused with OUT_OF_TURN and sent again, in turn. A failed write is retried with
 * backoff, with the batch still at the head of the buffer, so nothing is lost while Postgres is
 * away. Only acknowledged batches are released from the buffer and announced.
 */
export class BatchWriter {
    adapter;
    store;
    buffer;
    announcer;
    stats;
    o;
    log;
    flushTimer;
    /** Events at the head of the buffer already handed to a write in flight. */
    sent = 0;
    inFlight = 0;
    /** Cursor of the newest batch handed to a write (the predecessor of the next one). */
    sentCursor;
    /** Write results are handled one after another, in the order the writes started. */
    results = Promise.resolve();
    /** A write failed: the ones still in flight drain, then everything unacknowledged is retried. */
    draining = false;
    /** Rows stored by writes that followed a failed one: they come back as duplicates on the retry. */
    storedAhead = 0;
    writeFailures = 0;
    stopped = false;
    /** Cursor of the newest committed batch (start() of the pipeline sets the stored one). */
    lastStoredCursor;
    lastWriteError;
    constructor(adapter, store, buffer, announcer, stats, o, log) {
        this.adapter = adapter;
        this.store = store;
        this.buffer = buffer;
        this.announcer = announcer;
        this.stats = stats;
        this.o = o;
        this.log = log;
    }
    /** No more writes are scheduled by results or timers (graceful shutdown; see flushRemaining). */
    stop() {
        this.stopped = true;
    }
    /** After stop(): writes out everything buffered, retrying with backoff, and says if it could not. */
    async flushRemaining() {
        clearTimeout(this.flushTimer);
        for (let i = 0; i < 50 && (this.buffer.length || this.buffer.quarantinedCount); i++) {
            await this.flush();
            if (this.buffer.length)
                await sleep(Math.min(2000, 100 * 2 ** i));
        }
        if (this.buffer.length)
            this.log.error({ msg: 'could not flush buffer on stop', source: this.adapter.name, buffered: this.buffer.length });
    }
    get unsent() {
        return this.buffer.length - this.sent;
    }
    /** Most writes at once: one while Postgres is failing (the retry probes), or before the first cursor is stored. */
    get maxInFlight() {
        return this.writeFailures > 0 || this.lastStoredCursor === undefined ? 1 : (this.o.writesInFlight ?? 1);
    }
    /** Something was buffered: write now if a batch is full, else once the linger is over. */
    scheduleFlush() {
        // While writes are failing the retry timer owns flushing: new frames must not turn the
        // backoff into a write attempt per frame.
        if (this.inFlight >= this.maxInFlight || this.draining || this.writeFailures > 0)
            return;
        if (this.unsent >= this.o.batchSize) {
            clearTimeout(this.flushTimer);
            this.flushTimer = undefined;
            void this.flush();
        }
        else
            this.flushIn(this.o.lingerMs);
    }
    /** Flushes after `ms`, unless a flush is already scheduled. */
    flushIn(ms) {
        this.flushTimer ??= setTimeout(() => {
            this.flushTimer = undefined;
            void this.flush();
        }, ms);
    }
    /**
     * Starts as many writes as allowed (full batches; one partial batch when nothing is in flight
     * or its linger is over) and resolves once every write started so far has been handled.
     */
    flush() {
        while (!this.draining && this.inFlight < this.maxInFlight && (this.unsent > 0 || this.buffer.quarantinedCount)) {
            this.startWrite();
        }
        return this.results;
    }
    /**
     * Hands the next batch to a write. Writes of one source may overlap (serialising parameters,
     * the round trip and the reply of one batch while Postgres inserts the previous one); their
     * commits still go in order (a batch that reaches Postgres before the one ahead of it committed
     * is refused with OUT_OF_TURN and sent again), and their results are handled in order.
     */
    startWrite() {
        const batch = this.buffer.slice(this.sent, this.o.batchSize);
        const bad = this.buffer.takeQuarantined();
        const after = this.inFlight > 0 ? this.sentCursor : undefined;
        // Max with what is already stored: a batch of replayed events must not move the cursor back.
        const cursor = batch.length ? maxCursor(lastCursor(batch), this.sentCursor ?? this.lastStoredCursor) : undefined;
        this.sent += batch.length;
        this.inFlight++;
        if (batch.length)
            this.sentCursor = cursor;
        const startedAt = Date.now();
        const end = metrics.batchSeconds.startTimer();
        const attempt = this.write(batch, bad, cursor, after).then((r) => ({ ok: true, ...r }), (err) => ({ ok: false, err }));
        this.results = this.results.then(async () => {
            const r = await attempt;
            end();
            this.inFlight--;
            if (this.draining) {
                // An earlier write failed and this batch is retried with it. Rows it stored anyway are
                // stored (they come back as duplicates on the retry) and are announced now.
                if (r.ok)
                    await this.storedEarly(r.stored);
            }
            else if (!r.ok && sqlState(r.err) === OUT_OF_TURN) {
                // It reached Postgres before the batch ahead of it had committed and wrote nothing; that
                // batch is acknowledged now, so this one (and any behind it) goes again, in turn.
                this.draining = true;
                this.stats.resent++;
            }
            else if (!r.ok) {
                this.failed(r.err);
            }
            else {
                await this.acknowledge(batch.length, cursor, r);
            }
            if (this.draining && this.inFlight === 0) {
                // Everything in flight has settled: retry from the oldest unacknowledged batch, in order.
                this.draining = false;
                this.sent = 0;
                this.sentCursor = this.lastStoredCursor;
            }
            this.afterWrite(startedAt);
        }).catch((err) => {
            // A bug here must not stop every later result from being handled.
            this.log.error({ msg: 'handling a batch result failed', source: this.adapter.name, error: err.message });
        });
    }
    /** Quarantine, then the batch; a batch Postgres refuses for its content is written row by row. */
    async write(batch, bad, cursor, after) {
        if (bad.length) {
            try {
                await this.store.quarantine(this.adapter.name, bad);
            }
            catch (err) {
                this.buffer.returnQuarantined(bad);
                throw err;
            }
        }
        if (!batch.length)
            return { stored: [], rejected: 0 };
        try {
            return { stored: await this.store.writeBatchAfter(this.adapter.name, batch, cursor, after), rejected: 0 };
        }
        catch (err) {
            if (!isDataError(err))
                throw err;
            return this.writeOneByOne(batch, cursor, after, err);
        }
    }
    async acknowledge(n, cursor, r) {
        this.sent -= n;
        this.writeFailures = 0;
        this.lastWriteError = undefined;
        this.lastStoredCursor = cursor ?? this.lastStoredCursor;
        this.stats.stored += r.stored.length;
        // Rows a write stored while an earlier one was failing come back here as duplicates.
        const repeated = Math.min(this.storedAhead, n - r.stored.length - r.rejected);
        this.storedAhead -= repeated;
        const dupes = n - r.stored.length - r.rejected - repeated;
        this.stats.duplicates += dupes;
        metrics.eventsIngested.inc({ source: this.adapter.name }, r.stored.length);
        metrics.eventsDuplicate.inc({ source: this.adapter.name }, dupes);
        const t = cursor ? this.adapter.cursorTime(cursor) : undefined;
        if (t)
            metrics.sourceLagSeconds.set({ source: this.adapter.name }, Math.max(0, (Date.now() - t.getTime()) / 1000));
        this.buffer.release(n);
        await this.announcer.announce(r.stored);
    }
    /** Rows a write stored although it is retried (a batch before it failed). */
    async storedEarly(stored) {
        this.stats.stored += stored.length;
        this.storedAhead += stored.length;
        metrics.eventsIngested.inc({ source: this.adapter.name }, stored.length);
        await this.announcer.announce(stored);
    }
    failed(err) {
        this.draining = true;
        this.writeFailures++;
        this.lastWriteError = err.message;
        if (this.writeFailures === 1 || this.writeFailures % 20 === 0) {
            this.log.error({ msg: 'batch write failed; holding buffer and retrying', source: this.adapter.name, buffered: this.buffer.length, error: this.lastWriteError, failures: this.writeFailures });
        }
    }
    afterWrite(startedAt) {
        if (this.stopped || (this.inFlight > 0 && this.writeFailures > 0))
            return;
        if (this.writeFailures > 0) {
            // Postgres is away: keep the buffer, try again later.
            this.flushIn(Math.min(5000, 100 * 2 ** Math.min(this.writeFailures, 6)));
            return;
        }
        if (!this.unsent && !this.buffer.quarantinedCount)
            return;
        // What is buffered now arrived during the write: it has already waited that long, so the
        // linger counts from the write's start, not from now (bench:fanout: p99 506 → ~150 ms).
        const wait = this.o.lingerMs - (Date.now() - startedAt);
        if (wait <= 0 || this.unsent >= this.o.batchSize)
            void this.flush();
        else
            this.flushIn(wait);
    }
    /**
     * Postgres refused the batch for its content (not because it is away): write the events one by
     * one so the bad ones can be quarantined instead of failing the whole batch forever.
     */
    async writeOneByOne(batch, cursor, after, cause) {
        this.log.warn({ msg: 'batch refused by the database; isolating the bad events', source: this.adapter.name, size: batch.length, error: cause.message });
        const stored = [];
        const bad = [];
        for (const e of batch) {
            try {
                stored.push(...(await this.store.writeBatch(this.adapter.name, [e], undefined)));
            }
            catch (err) {
                if (!isDataError(err))
                    throw err;
                const raw = Buffer.from(JSON.stringify({ ...e, text: e.text.slice(0, 1000) }));
                bad.push({ reason: 'wrong_shape', detail: `not storable: ${err.message}`.slice(0, 500), raw: raw.subarray(0, QUARANTINE_RAW_BYTES), size: raw.length });
            }
        }
        if (bad.length) {
            await this.store.quarantine(this.adapter.name, bad);
            this.stats.quarantined += bad.length;
            metrics.framesQuarantined.inc({ source: this.adapter.name, reason: 'wrong_shape' }, bad.length);
        }
        await this.store.writeBatchAfter(this.adapter.name, [], cursor, after);
        return { stored, rejected: bad.length };
    }
}
/**
 * Postgres refused the data itself (SQLSTATE class 22 data exception, e.g. NUL in text or bad
 * encoding; 23 integrity; 54 program limit, e.g. an index row too large), as opposed to being
 * unreachable: retrying the same rows can never succeed.
 */
function isDataError(err) {
    return /^(22|23|54)/.test(sqlState(err) ?? '');
}
//# sourceMappingURL=batch-writer.js.map