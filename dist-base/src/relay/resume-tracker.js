import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '../../libs/observability/index.js';
import { compareCursors } from './cursors.js';
/**
 * Where a source resumes from, and what it missed. Keeps the newest cursor received (the resume
 * point while this process lives, never moving backwards) and the source time of the newest
 * event; after a (re)connect it checks the first frame against the cursor asked for and records
 * an ingest gap (retried in the background) when events between the bounds were missed.
 */
export class ResumeTracker {
    adapter;
    store;
    stats;
    cursorOverlapMs;
    log;
    /** Newest cursor received. */
    receivedCursor;
    /** Source time of the newest event received (the start bound of a gap). */
    lastEventTime;
    awaitingFirstAfterReconnect = false;
    /** The cursor the current connection was opened with (undefined = live). */
    requestedCursor;
    /** Events may have been missed since the last reconnect; recorded at the next event. */
    pendingGap;
    gapWrites = new Set();
    stopped = false;
    constructor(adapter, store, stats, cursorOverlapMs, log) {
        this.adapter = adapter;
        this.store = store;
        this.stats = stats;
        this.cursorOverlapMs = cursorOverlapMs;
        this.log = log;
    }
    /** Starts from the stored cursor; a restart is a reconnect as far as gaps go. */
    start(storedCursor) {
        this.receivedCursor = storedCursor;
        if (storedCursor) {
            this.lastEventTime = this.adapter.cursorTime(storedCursor);
            this.awaitingFirstAfterReconnect = true;
        }
    }
    onOpen(reconnect) {
        if (reconnect)
            this.awaitingFirstAfterReconnect = true;
    }
    /** The cursor to (re)connect with, remembered to check the first frame against. */
    connectCursor() {
        return (this.requestedCursor = this.resumeCursor());
    }
    resumeCursor() {
        if (!this.adapter.resumable || !this.receivedCursor)
            return undefined;
        return this.adapter.rewind(this.receivedCursor, this.cursorOverlapMs);
    }
    /** Every accepted frame (an event, or a skip that may carry a cursor), before it is counted. */
    frame(isEvent, cursor) {
        if (this.awaitingFirstAfterReconnect && (isEvent || cursor !== undefined)) {
            this.awaitingFirstAfterReconnect = false;
            this.checkResumed(cursor);
        }
    }
    /** A skipped frame's cursor still moves the resume point. */
    skipped(cursor) {
        if (cursor !== undefined)
            this.advance(cursor);
    }
    /** An event at source time `t`: closes a pending gap at it, then moves the resume point. */
    event(t, cursor) {
        if (this.pendingGap) {
            const gap = this.pendingGap;
            this.pendingGap = undefined;
            if (this.lastEventTime && t > this.lastEventTime)
                this.recordGap(gap, this.lastEventTime, t, cursor);
        }
        if (cursor !== undefined)
            this.advance(cursor);
        if (!this.lastEventTime || t > this.lastEventTime)
            this.lastEventTime = t;
    }
    /** Gap writes under way stop retrying (graceful shutdown). */
    stop() {
        this.stopped = true;
    }
    /** Resolves once every gap write has settled. */
    async settled() {
        await Promise.allSettled([...this.gapWrites]);
    }
    /** Replays after a reconnect repeat older cursors; the resume point only ever moves forward. */
    advance(cursor) {
        if (this.receivedCursor === undefined || compareCursors(cursor, this.receivedCursor) > 0)
            this.receivedCursor = cursor;
    }
    /**
     * First frame after a (re)connect or restart. A source that cannot resume has missed whatever
     * happened while we were away. One that can must replay from before our newest cursor (we asked
     * for it minus the overlap); if its first frame is newer than that, it ignored the cursor or no
     * longer retains it, and the events in between are gone.
     */
    checkResumed(firstCursor) {
        if (this.pendingGap)
            return; // a gap from an earlier reconnect is still open
        if (!this.adapter.resumable) {
            this.pendingGap = { fromCursor: this.receivedCursor, reason: 'source cannot resume from a cursor: events between the bounds were missed' };
            return;
        }
        const asked = this.requestedCursor;
        const had = this.receivedCursor;
        // With no overlap (asked == had) an exclusive replay is indistinguishable from a skipped one.
        if (firstCursor === undefined || asked === undefined || had === undefined || compareCursors(asked, had) >= 0)
            return;
        if (compareCursors(firstCursor, had) > 0) {
            this.pendingGap = {
                fromCursor: had,
                reason: `source did not replay from cursor ${asked} (first frame ${firstCursor}): events between the bounds were missed`,
            };
        }
    }
    recordGap(p, gapStart, gapEnd, toCursor) {
        const gap = { source: this.adapter.name, gapStart, gapEnd, fromCursor: p.fromCursor, toCursor, reason: p.reason };
        this.stats.gaps++;
        metrics.gapsRecorded.inc({ source: this.adapter.name });
        this.log.warn({ msg: 'ingest gap recorded', ...gap });
        const write = (async () => {
            for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
                try {
                    return await this.store.recordGap(gap);
                }
                catch {
                    await sleep(Math.min(5000, 200 * 2 ** attempt));
                }
            }
            this.log.error({ msg: 'could not write ingest gap', ...gap });
        })();
        this.gapWrites.add(write);
        void write.finally(() => this.gapWrites.delete(write));
    }
}
//# sourceMappingURL=resume-tracker.js.map