import { Logger } from '@nestjs/common';
import type { SiftEvent, StoredEvent } from '../../libs/contracts/event.js';
import { metrics } from '../../libs/observability/index.js';
import { OUT_OF_TURN, type EventsRepository } from '../events/events.repository.js';
import type { QuarantinedFrame, RelayRepository } from './relay.repository.js';

/** What a pipeline writes to: its batches (events repository) and its gaps, quarantine and cursor reads (relay repository). */
export type PipelineStore = Pick<EventsRepository, 'writeBatch' | 'writeBatchAfter'> & Pick<RelayRepository, 'cursor' | 'quarantine' | 'recordGap'>;
import { isSaneTime } from './sources/frame-checks.js';
import type { QuarantineReason, SourceAdapter } from './sources/source-adapter.js';
import { SourceConnection, type ConnectionOptions } from './source-connection.js';
import { sqlState } from '../../libs/database/index.js';

export interface PipelineOptions {
  batchSize: number;
  lingerMs: number;
  bufferMax: number;
  cursorOverlapMs: number;
  /** Batches of this source written at once (their commits still go in order). */
  writesInFlight?: number;
  connection: Omit<ConnectionOptions, 'name' | 'url' | 'onFrame' | 'onOpen'>;
  /** Called after each committed batch with the rows that were new. */
  onStored: (events: StoredEvent[]) => Promise<void> | void;
}

/** Raw bytes kept per quarantined frame. */
const QUARANTINE_RAW_BYTES = 4096;
/** Longest source event id / author we store: both sit in btree indexes (row limit ~2.7 kB). */
const MAX_KEY_BYTES = 1024;

/**
 * One source end to end: connection → adapter → bounded buffer → batched writes. The buffer is
 * the only place events wait; when it is full the socket is paused (backpressure) instead of
 * dropping or growing. A failed write is retried with backoff, with the batch still at the head
 * of the buffer, so nothing is lost while Postgres is away.
 */
export class SourcePipeline {
  private readonly log: Logger;
  readonly connection: SourceConnection;
  private buffer: SiftEvent[] = [];
  private quarantined: QuarantinedFrame[] = [];
  private flushTimer?: NodeJS.Timeout;
  /** Events at the head of `buffer` already handed to a write in flight. */
  private sent = 0;
  private inFlight = 0;
  /** Cursor of the newest batch handed to a write (the predecessor of the next one). */
  private sentCursor?: string;
  /** Write results are handled one after another, in the order the writes started. */
  private results: Promise<void> = Promise.resolve();
  /** A write failed: the ones still in flight drain, then everything unacknowledged is retried. */
  private draining = false;
  /** Rows stored by writes that followed a failed one: they come back as duplicates on the retry. */
  private storedAhead = 0;
  private writeFailures = 0;
  private stopped = false;
  /** Newest cursor received (resume point while this process lives). Never moves backwards. */
  private receivedCursor?: string;
  /** Source time of the newest event received (the start bound of a gap). */
  private lastEventTime?: Date;
  private awaitingFirstAfterReconnect = false;
  /** The cursor the current connection was opened with (undefined = live). */
  private requestedCursor?: string;
  /** Events may have been missed since the last reconnect; recorded at the next event. */
  private pendingGap?: { fromCursor?: string; reason: string };
  private readonly gapWrites = new Set<Promise<void>>();
  /** `resent`: batches sent again because they reached Postgres before the batch ahead of them. */
  stats = { received: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0, gaps: 0, resent: 0 };
  lastStoredCursor?: string;
  lastWriteError?: string;

  constructor(
    readonly adapter: SourceAdapter,
    private readonly store: PipelineStore,
    private readonly o: PipelineOptions,
  ) {
    this.log = new Logger(`Relay:${adapter.name}`);
    this.connection = new SourceConnection({
      ...o.connection,
      name: adapter.name,
      url: () => this.adapter.connectUrl((this.requestedCursor = this.resumeCursor())),
      onFrame: (f) => this.onFrame(f),
      onOpen: (reconnect) => {
        if (reconnect) this.awaitingFirstAfterReconnect = true;
      },
    });
  }

  async start() {
    this.receivedCursor = await this.store.cursor(this.adapter.name);
    this.lastStoredCursor = this.receivedCursor;
    if (this.receivedCursor) {
      this.lastEventTime = this.adapter.cursorTime(this.receivedCursor);
      // A restart is a reconnect as far as gaps go.
      this.awaitingFirstAfterReconnect = true;
    }
    this.connection.start();
  }

  /** Stop reading, then write out everything buffered (graceful shutdown). */
  async stop() {
    this.stopped = true;
    await this.connection.stop();
    clearTimeout(this.flushTimer);
    for (let i = 0; i < 50 && (this.buffer.length || this.quarantined.length); i++) {
      await this.flush();
      if (this.buffer.length) await sleep(Math.min(2000, 100 * 2 ** i));
    }
    if (this.buffer.length) this.log.error({ msg: 'could not flush buffer on stop', source: this.adapter.name, buffered: this.buffer.length });
    await Promise.allSettled([...this.gapWrites]);
  }

  get buffered() {
    return this.buffer.length;
  }

  private resumeCursor(): string | undefined {
    if (!this.adapter.resumable || !this.receivedCursor) return undefined;
    return this.adapter.rewind(this.receivedCursor, this.o.cursorOverlapMs);
  }

  private onFrame(frame: Buffer) {
    const r = this.adapter.parse(frame);
    if (r.kind === 'bad') return this.quarantine(frame, r.reason, r.detail);
    const cursor = r.kind === 'event' ? r.event.cursor : r.cursor;
    // A cursor becomes the resume point, so one from year 2100 (or 1970) must not be trusted.
    const cursorTime = cursor === undefined ? undefined : this.adapter.cursorTime(cursor);
    if (cursorTime && !isSaneTime(cursorTime.getTime())) {
      return this.quarantine(frame, 'absurd_timestamp', `cursor ${cursor} is outside 2000..now+1d`);
    }
    if (r.kind === 'event') {
      // Postgres cannot store these; one such event would fail its whole batch forever.
      const unstorable = unstorableReason(r.event);
      if (unstorable) return this.quarantine(frame, 'wrong_shape', unstorable);
    }
    if (this.awaitingFirstAfterReconnect && (r.kind === 'event' || cursor !== undefined)) {
      this.awaitingFirstAfterReconnect = false;
      this.checkResumed(cursor);
    }
    if (r.kind === 'skip') {
      this.stats.skipped++;
      metrics.framesSkipped.inc({ source: this.adapter.name });
      if (cursor !== undefined) this.advanceCursor(cursor);
      return;
    }
    const ev = r.event;
    this.stats.received++;
    const t = cursorTime ?? ev.createdAt;
    if (this.pendingGap) {
      const gap = this.pendingGap;
      this.pendingGap = undefined;
      if (this.lastEventTime && t > this.lastEventTime) this.recordGap(gap, this.lastEventTime, t, cursor);
    }
    if (cursor !== undefined) this.advanceCursor(cursor);
    if (!this.lastEventTime || t > this.lastEventTime) this.lastEventTime = t;
    const n = this.buffer.push(ev);
    // The gauge is set on every write too; per frame its label hashing was a measurable share of
    // the relay's CPU, so between writes it moves in steps of 64.
    if ((n & 63) === 0 || n >= this.o.bufferMax) metrics.bufferedEvents.set({ source: this.adapter.name }, n);
    if (n >= this.o.bufferMax) this.connection.pause();
    this.scheduleFlush();
  }

  private quarantine(frame: Buffer, reason: QuarantineReason, detail: string) {
    this.stats.quarantined++;
    metrics.framesQuarantined.inc({ source: this.adapter.name, reason });
    this.quarantined.push({ reason, detail, raw: Buffer.from(frame.subarray(0, QUARANTINE_RAW_BYTES)), size: frame.length });
    this.scheduleFlush();
  }

  /** Replays after a reconnect repeat older cursors; the resume point only ever moves forward. */
  private advanceCursor(cursor: string) {
    if (this.receivedCursor === undefined || compareCursors(cursor, this.receivedCursor) > 0) this.receivedCursor = cursor;
  }

  /**
   * First frame after a (re)connect or restart. A source that cannot resume has missed whatever
   * happened while we were away. One that can must replay from before our newest cursor (we asked
   * for it minus the overlap); if its first frame is newer than that, it ignored the cursor or no
   * longer retains it, and the events in between are gone.
   */
  private checkResumed(firstCursor: string | undefined) {
    if (this.pendingGap) return; // a gap from an earlier reconnect is still open
    if (!this.adapter.resumable) {
      this.pendingGap = { fromCursor: this.receivedCursor, reason: 'source cannot resume from a cursor: events between the bounds were missed' };
      return;
    }
    const asked = this.requestedCursor;
    const had = this.receivedCursor;
    // With no overlap (asked == had) an exclusive replay is indistinguishable from a skipped one.
    if (firstCursor === undefined || asked === undefined || had === undefined || compareCursors(asked, had) >= 0) return;
    if (compareCursors(firstCursor, had) > 0) {
      this.pendingGap = {
        fromCursor: had,
        reason: `source did not replay from cursor ${asked} (first frame ${firstCursor}): events between the bounds were missed`,
      };
    }
  }

  private recordGap(p: { fromCursor?: string; reason: string }, gapStart: Date, gapEnd: Date, toCursor: string | undefined) {
    const gap = { source: this.adapter.name, gapStart, gapEnd, fromCursor: p.fromCursor, toCursor, reason: p.reason };
    this.stats.gaps++;
    metrics.gapsRecorded.inc({ source: this.adapter.name });
    this.log.warn({ msg: 'ingest gap recorded', ...gap });
    const write = (async () => {
      for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
        try {
          return await this.store.recordGap(gap);
        } catch {
          await sleep(Math.min(5000, 200 * 2 ** attempt));
        }
      }
      this.log.error({ msg: 'could not write ingest gap', ...gap });
    })();
    this.gapWrites.add(write);
    void write.finally(() => this.gapWrites.delete(write));
  }

  private get unsent() {
    return this.buffer.length - this.sent;
  }

  /** Most writes at once: one while Postgres is failing (the retry probes), or before the first cursor is stored. */
  private get maxInFlight() {
    return this.writeFailures > 0 || this.lastStoredCursor === undefined ? 1 : (this.o.writesInFlight ?? 1);
  }

  private scheduleFlush() {
    // While writes are failing the retry timer owns flushing: new frames must not turn the
    // backoff into a write attempt per frame.
    if (this.inFlight >= this.maxInFlight || this.draining || this.writeFailures > 0) return;
    if (this.unsent >= this.o.batchSize) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else this.flushIn(this.o.lingerMs);
  }

  /** Flushes after `ms`, unless a flush is already scheduled. */
  private flushIn(ms: number) {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, ms);
  }

  /**
   * Starts as many writes as allowed (full batches; one partial batch when nothing is in flight
   * or its linger is over) and resolves once every write started so far has been handled.
   */
  private flush(): Promise<void> {
    while (!this.draining && this.inFlight < this.maxInFlight && (this.unsent > 0 || this.quarantined.length)) {
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
  private startWrite() {
    const batch = this.buffer.slice(this.sent, this.sent + this.o.batchSize);
    const bad = this.quarantined.splice(0, this.quarantined.length);
    const after = this.inFlight > 0 ? this.sentCursor : undefined;
    // Max with what is already stored: a batch of replayed events must not move the cursor back.
    const cursor = batch.length ? maxCursor(lastCursor(batch), this.sentCursor ?? this.lastStoredCursor) : undefined;
    this.sent += batch.length;
    this.inFlight++;
    if (batch.length) this.sentCursor = cursor;
    const startedAt = Date.now();
    const end = metrics.batchSeconds.startTimer();
    const attempt = this.write(batch, bad, cursor, after).then(
      (r) => ({ ok: true as const, ...r }),
      (err: Error) => ({ ok: false as const, err }),
    );
    this.results = this.results.then(async () => {
      const r = await attempt;
      end();
      this.inFlight--;
      if (this.draining) {
        // An earlier write failed and this batch is retried with it. Rows it stored anyway are
        // stored (they come back as duplicates on the retry) and are announced now.
        if (r.ok) await this.storedEarly(r.stored);
      } else if (!r.ok && sqlState(r.err) === OUT_OF_TURN) {
        // It reached Postgres before the batch ahead of it had committed and wrote nothing; that
        // batch is acknowledged now, so this one (and any behind it) goes again, in turn.
        this.draining = true;
        this.stats.resent++;
      } else if (!r.ok) {
        this.failed(r.err);
      } else {
        await this.acknowledge(batch.length, cursor, r);
      }
      if (this.draining && this.inFlight === 0) {
        // Everything in flight has settled: retry from the oldest unacknowledged batch, in order.
        this.draining = false;
        this.sent = 0;
        this.sentCursor = this.lastStoredCursor;
      }
      this.afterWrite(startedAt);
    }).catch((err: Error) => {
      // A bug here must not stop every later result from being handled.
      this.log.error({ msg: 'handling a batch result failed', source: this.adapter.name, error: err.message });
    });
  }

  /** Quarantine, then the batch; a batch Postgres refuses for its content is written row by row. */
  private async write(batch: SiftEvent[], bad: QuarantinedFrame[], cursor: string | undefined, after: string | undefined): Promise<{ stored: StoredEvent[]; rejected: number }> {
    if (bad.length) {
      try {
        await this.store.quarantine(this.adapter.name, bad);
      } catch (err) {
        this.quarantined.unshift(...bad);
        throw err;
      }
    }
    if (!batch.length) return { stored: [], rejected: 0 };
    try {
      return { stored: await this.store.writeBatchAfter(this.adapter.name, batch, cursor, after), rejected: 0 };
    } catch (err) {
      if (!isDataError(err)) throw err;
      return this.writeOneByOne(batch, cursor, after, err as Error);
    }
  }

  private async acknowledge(n: number, cursor: string | undefined, r: { stored: StoredEvent[]; rejected: number }) {
    this.buffer.splice(0, n);
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
    metrics.bufferedEvents.set({ source: this.adapter.name }, this.buffer.length);
    const t = cursor ? this.adapter.cursorTime(cursor) : undefined;
    if (t) metrics.sourceLagSeconds.set({ source: this.adapter.name }, Math.max(0, (Date.now() - t.getTime()) / 1000));
    if (this.buffer.length < this.o.bufferMax / 2) this.connection.resume();
    await this.announce(r.stored);
  }

  /** Rows a write stored although it is retried (a batch before it failed). */
  private async storedEarly(stored: StoredEvent[]) {
    this.stats.stored += stored.length;
    this.storedAhead += stored.length;
    metrics.eventsIngested.inc({ source: this.adapter.name }, stored.length);
    await this.announce(stored);
  }

  private failed(err: Error) {
    this.draining = true;
    this.writeFailures++;
    this.lastWriteError = err.message;
    if (this.writeFailures === 1 || this.writeFailures % 20 === 0) {
      this.log.error({ msg: 'batch write failed; holding buffer and retrying', source: this.adapter.name, buffered: this.buffer.length, error: this.lastWriteError, failures: this.writeFailures });
    }
  }

  /** Hands newly stored rows to onStored (broadcast). Stored is stored: a failure is only logged. */
  private async announce(stored: StoredEvent[]) {
    if (!stored.length) return;
    try {
      await this.o.onStored(stored);
    } catch (err) {
      this.log.warn({ msg: 'post-store hook failed', error: (err as Error).message });
    }
  }

  private afterWrite(startedAt: number) {
    if (this.stopped || (this.inFlight > 0 && this.writeFailures > 0)) return;
    if (this.writeFailures > 0) {
      // Postgres is away: keep the buffer, try again later.
      this.flushIn(Math.min(5000, 100 * 2 ** Math.min(this.writeFailures, 6)));
      return;
    }
    if (!this.unsent && !this.quarantined.length) return;
    // What is buffered now arrived during the write: it has already waited that long, so the
    // linger counts from the write's start, not from now (bench:fanout: p99 506 → ~150 ms).
    const wait = this.o.lingerMs - (Date.now() - startedAt);
    if (wait <= 0 || this.unsent >= this.o.batchSize) void this.flush();
    else this.flushIn(wait);
  }

  /**
   * Postgres refused the batch for its content (not because it is away): write the events one by
   * one so the bad ones can be quarantined instead of failing the whole batch forever.
   */
  private async writeOneByOne(batch: SiftEvent[], cursor: string | undefined, after: string | undefined, cause: Error): Promise<{ stored: StoredEvent[]; rejected: number }> {
    this.log.warn({ msg: 'batch refused by the database; isolating the bad events', source: this.adapter.name, size: batch.length, error: cause.message });
    const stored: StoredEvent[] = [];
    const bad: QuarantinedFrame[] = [];
    for (const e of batch) {
      try {
        stored.push(...(await this.store.writeBatch(this.adapter.name, [e], undefined)));
      } catch (err) {
        if (!isDataError(err)) throw err;
        const raw = Buffer.from(JSON.stringify({ ...e, text: e.text.slice(0, 1000) }));
        bad.push({ reason: 'wrong_shape', detail: `not storable: ${(err as Error).message}`.slice(0, 500), raw: raw.subarray(0, QUARANTINE_RAW_BYTES), size: raw.length });
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

/** Orders cursors: numeric cursors (no leading zeros) compare as numbers, others as strings. */
function compareCursors(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursors(a, b) >= 0 ? a : b;
}

/** Highest cursor in the batch. */
function lastCursor(batch: SiftEvent[]): string | undefined {
  let best: string | undefined;
  for (const e of batch) best = maxCursor(e.cursor, best);
  return best;
}

/**
 * Postgres refused the data itself (SQLSTATE class 22 data exception, e.g. NUL in text or bad
 * encoding; 23 integrity; 54 program limit, e.g. an index row too large), as opposed to being
 * unreachable: retrying the same rows can never succeed.
 */
function isDataError(err: unknown): boolean {
  return /^(22|23|54)/.test(sqlState(err) ?? '');
}

/** Why Postgres could not store this event, if it could not. Runs per event: no allocation. */
function unstorableReason(e: SiftEvent): string | undefined {
  const nul = (name: string) => `NUL character in ${name} (Postgres text cannot hold it)`;
  if (e.sourceEventId.includes('\u0000')) return nul('sourceEventId');
  if (e.author.includes('\u0000')) return nul('author');
  if (e.text.includes('\u0000')) return nul('text');
  if (e.lang?.includes('\u0000')) return nul('lang');
  for (let i = 0; i < e.entities.length; i++) if (e.entities[i]!.includes('\u0000')) return nul(`entities[${i}]`);
  return tooLongKey('sourceEventId', e.sourceEventId) ?? tooLongKey('author', e.author);
}

function tooLongKey(name: string, v: string): string | undefined {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no byte count.
  if (v.length * 3 <= MAX_KEY_BYTES) return undefined;
  const bytes = Buffer.byteLength(v);
  return bytes > MAX_KEY_BYTES ? `${name} is ${bytes} bytes (max ${MAX_KEY_BYTES})` : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
