import { metrics } from '../../libs/observability/index.js';
import { isSaneTime } from './sources/frame-checks.js';
/** Raw bytes kept per quarantined frame. */
export const QUARANTINE_RAW_BYTES = 4096;
/** Longest source event id / author we store: both sit in btree indexes (row limit ~2.7 kB). */
const MAX_KEY_BYTES = 1024;
/**
 * Frames in, events and quarantined frames out: parses each frame with the adapter, quarantines
 * what cannot be stored, and holds the rest in a bounded buffer, the only place events wait. When
 * the buffer is full the socket is paused (backpressure) instead of dropping or growing; it is
 * resumed once the writer has released the buffer below half. The buffer is read from its head
 * by the batch writer, which releases what it has stored.
 */
export class Intake {
    adapter;
    resume;
    flow;
    stats;
    bufferMax;
    onBuffered;
    buffer = [];
    /** When each buffered event arrived (ms), parallel to `buffer`: how long the oldest has waited is the relay's own lag. */
    arrivals = [];
    quarantined = [];
    constructor(adapter, resume, flow, stats, bufferMax, 
    /** Called after each buffered event or quarantined frame (the writer schedules a flush). */
    onBuffered) {
        this.adapter = adapter;
        this.resume = resume;
        this.flow = flow;
        this.stats = stats;
        this.bufferMax = bufferMax;
        this.onBuffered = onBuffered;
    }
    onFrame(frame) {
        const r = this.adapter.parse(frame);
        if (r.kind === 'bad')
            return this.quarantine(frame, r.reason, r.detail);
        const cursor = r.kind === 'event' ? r.event.cursor : r.cursor;
        // A cursor becomes the resume point, so one from year 2100 (or 1970) must not be trusted.
        const cursorTime = cursor === undefined ? undefined : this.adapter.cursorTime(cursor);
        if (cursorTime && !isSaneTime(cursorTime.getTime())) {
            return this.quarantine(frame, 'absurd_timestamp', `cursor ${cursor} is outside 2000..now+1d`);
        }
        if (r.kind === 'event') {
            // Postgres cannot store these; one such event would fail its whole batch forever.
            const unstorable = unstorableReason(r.event);
            if (unstorable)
                return this.quarantine(frame, 'wrong_shape', unstorable);
        }
        this.resume.frame(r.kind === 'event', cursor);
        if (r.kind === 'skip') {
            this.stats.skipped++;
            metrics.framesSkipped.inc({ source: this.adapter.name });
            this.resume.skipped(cursor);
            return;
        }
        const ev = r.event;
        this.stats.received++;
        this.resume.event(cursorTime ?? ev.createdAt, cursor);
        const n = this.buffer.push(ev);
        this.arrivals.push(Date.now());
        // The gauge is set on every write too; per frame its label hashing was a measurable share of
        // the relay's CPU, so between writes it moves in steps of 64.
        if ((n & 63) === 0 || n >= this.bufferMax)
            metrics.bufferedEvents.set({ source: this.adapter.name }, n);
        if (n >= this.bufferMax)
            this.flow.pause();
        this.onBuffered();
    }
    quarantine(frame, reason, detail) {
        this.stats.quarantined++;
        metrics.framesQuarantined.inc({ source: this.adapter.name, reason });
        this.quarantined.push({ reason, detail, raw: Buffer.from(frame.subarray(0, QUARANTINE_RAW_BYTES)), size: frame.length });
        this.onBuffered();
    }
    /** Events buffered (not yet released by the writer). */
    get length() {
        return this.buffer.length;
    }
    /** How long the oldest event not yet stored has waited in this relay, in seconds (0 when none waits). */
    get oldestWaitSeconds() {
        return this.arrivals.length ? Math.max(0, (Date.now() - this.arrivals[0]) / 1000) : 0;
    }
    /** Up to `n` buffered events from position `from` (the head is 0). */
    slice(from, n) {
        return this.buffer.slice(from, from + n);
    }
    /** The oldest `n` events are stored: drops them and resumes the socket below half full. */
    release(n) {
        this.buffer.splice(0, n);
        this.arrivals.splice(0, n);
        metrics.bufferedEvents.set({ source: this.adapter.name }, this.buffer.length);
        if (this.buffer.length < this.bufferMax / 2)
            this.flow.resume();
    }
    get quarantinedCount() {
        return this.quarantined.length;
    }
    /** Every quarantined frame waiting to be written, handed over. */
    takeQuarantined() {
        return this.quarantined.splice(0, this.quarantined.length);
    }
    /** Frames whose write failed go back to the head, to be written with the next batch. */
    returnQuarantined(frames) {
        this.quarantined.unshift(...frames);
    }
}
/** Why Postgres could not store this event, if it could not. Runs per event: no allocation. */
function unstorableReason(e) {
    const nul = (name) => `NUL character in ${name} (Postgres text cannot hold it)`;
    if (e.sourceEventId.includes('\u0000'))
        return nul('sourceEventId');
    if (e.author.includes('\u0000'))
        return nul('author');
    if (e.text.includes('\u0000'))
        return nul('text');
    if (e.lang?.includes('\u0000'))
        return nul('lang');
    for (let i = 0; i < e.entities.length; i++)
        if (e.entities[i].includes('\u0000'))
            return nul(`entities[${i}]`);
    return tooLongKey('sourceEventId', e.sourceEventId) ?? tooLongKey('author', e.author);
}
function tooLongKey(name, v) {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no byte count.
    if (v.length * 3 <= MAX_KEY_BYTES)
        return undefined;
    const bytes = Buffer.byteLength(v);
    return bytes > MAX_KEY_BYTES ? `${name} is ${bytes} bytes (max ${MAX_KEY_BYTES})` : undefined;
}
//# sourceMappingURL=intake.js.map