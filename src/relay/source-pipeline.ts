import { Logger } from '@nestjs/common';
import type { SiftEvent, StoredEvent } from '../../libs/contracts/event.js';
import { metrics } from '../../libs/observability/index.js';
import type { EventStore, QuarantinedFrame } from './event-store.js';
import type { SourceAdapter } from './sources/source-adapter.js';
import { SourceConnection, type ConnectionOptions } from './source-connection.js';

export interface PipelineOptions {
  batchSize: number;
  lingerMs: number;
  bufferMax: number;
  cursorOverlapMs: number;
  connection: Omit<ConnectionOptions, 'name' | 'url' | 'onFrame' | 'onOpen'>;
  /** Called after each committed batch with the rows that were new. */
  onStored: (events: StoredEvent[]) => Promise<void> | void;
}

/** Raw bytes kept per quarantined frame. */
const QUARANTINE_RAW_BYTES = 4096;

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
  private flushing?: Promise<void>;
  private writeFailures = 0;
  private stopped = false;
  /** Newest cursor received (resume point while this process lives). */
  private receivedCursor?: string;
  /** Source time of the last event received before a disconnect (gap bound for non-resumable sources). */
  private lastEventTime?: Date;
  private awaitingFirstAfterReconnect = false;
  stats = { received: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0, gaps: 0 };
  lastStoredCursor?: string;
  lastWriteError?: string;

  constructor(
    readonly adapter: SourceAdapter,
    private readonly store: EventStore,
    private readonly o: PipelineOptions,
  ) {
    this.log = new Logger(`Relay:${adapter.name}`);
    this.connection = new SourceConnection({
      ...o.connection,
      name: adapter.name,
      url: () => this.adapter.connectUrl(this.resumeCursor()),
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
    if (r.kind === 'bad') {
      this.stats.quarantined++;
      metrics.framesQuarantined.inc({ source: this.adapter.name, reason: r.reason });
      this.quarantined.push({ reason: r.reason, detail: r.detail, raw: Buffer.from(frame.subarray(0, QUARANTINE_RAW_BYTES)), size: frame.length });
      this.scheduleFlush();
      return;
    }
    if (r.kind === 'skip') {
      this.stats.skipped++;
      metrics.framesSkipped.inc({ source: this.adapter.name });
      if (r.cursor) this.receivedCursor = r.cursor;
      return;
    }
    const ev = r.event;
    this.stats.received++;
    if (this.awaitingFirstAfterReconnect) {
      this.awaitingFirstAfterReconnect = false;
      if (!this.adapter.resumable && this.lastEventTime && ev.createdAt > this.lastEventTime) void this.recordGap(ev);
    }
    if (ev.cursor) this.receivedCursor = ev.cursor;
    this.lastEventTime = ev.cursor ? this.adapter.cursorTime(ev.cursor) ?? ev.createdAt : ev.createdAt;
    this.buffer.push(ev);
    metrics.bufferedEvents.set({ source: this.adapter.name }, this.buffer.length);
    if (this.buffer.length >= this.o.bufferMax) this.connection.pause();
    this.scheduleFlush();
  }

  private async recordGap(first: { createdAt: Date; cursor?: string }) {
    const gap = {
      source: this.adapter.name,
      gapStart: this.lastEventTime!,
      gapEnd: first.cursor ? this.adapter.cursorTime(first.cursor) ?? first.createdAt : first.createdAt,
      fromCursor: this.receivedCursor,
      toCursor: first.cursor,
      reason: 'source cannot resume from a cursor: events between the bounds were missed',
    };
    this.stats.gaps++;
    metrics.gapsRecorded.inc({ source: this.adapter.name });
    this.log.warn({ msg: 'ingest gap recorded', ...gap });
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
      try {
        return await this.store.recordGap(gap);
      } catch {
        await sleep(Math.min(5000, 200 * 2 ** attempt));
      }
    }
  }

  private scheduleFlush() {
    if (this.flushing) return;
    if (this.buffer.length >= this.o.batchSize) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, this.o.lingerMs);
    }
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.writeOnce().finally(() => {
      this.flushing = undefined;
      if (this.stopped) return;
      if (this.writeFailures > 0) {
        // Postgres is away: keep the buffer, try again later.
        const delay = Math.min(5000, 100 * 2 ** Math.min(this.writeFailures, 6));
        this.flushTimer ??= setTimeout(() => {
          this.flushTimer = undefined;
          void this.flush();
        }, delay);
      } else if (this.buffer.length || this.quarantined.length) this.scheduleFlush();
    });
    return this.flushing;
  }

  private async writeOnce() {
    const batch = this.buffer.slice(0, this.o.batchSize);
    const bad = this.quarantined.splice(0, this.quarantined.length);
    if (!batch.length && !bad.length) return;
    const end = metrics.batchSeconds.startTimer();
    try {
      if (bad.length) {
        try {
          await this.store.quarantine(this.adapter.name, bad);
        } catch (err) {
          this.quarantined.unshift(...bad);
          throw err;
        }
      }
      if (!batch.length) return;
      const cursor = lastCursor(batch);
      const stored = await this.store.writeBatch(this.adapter.name, batch, cursor);
      this.buffer.splice(0, batch.length);
      this.writeFailures = 0;
      this.lastWriteError = undefined;
      this.lastStoredCursor = cursor ?? this.lastStoredCursor;
      this.stats.stored += stored.length;
      this.stats.duplicates += batch.length - stored.length;
      metrics.eventsIngested.inc({ source: this.adapter.name }, stored.length);
      metrics.eventsDuplicate.inc({ source: this.adapter.name }, batch.length - stored.length);
      metrics.bufferedEvents.set({ source: this.adapter.name }, this.buffer.length);
      const t = cursor ? this.adapter.cursorTime(cursor) : undefined;
      if (t) metrics.sourceLagSeconds.set({ source: this.adapter.name }, Math.max(0, (Date.now() - t.getTime()) / 1000));
      if (this.buffer.length < this.o.bufferMax / 2) this.connection.resume();
      if (stored.length) {
        try {
          await this.o.onStored(stored);
        } catch (err) {
          // Stored is stored: a failed broadcast must not re-write or block the batch.
          this.log.warn({ msg: 'post-store hook failed', error: (err as Error).message });
        }
      }
    } catch (err) {
      this.writeFailures++;
      this.lastWriteError = (err as Error).message;
      if (this.writeFailures === 1 || this.writeFailures % 20 === 0) {
        this.log.error({ msg: 'batch write failed; holding buffer and retrying', source: this.adapter.name, buffered: this.buffer.length, error: this.lastWriteError, failures: this.writeFailures });
      }
    } finally {
      end();
    }
  }
}

/** Highest cursor in the batch (numeric cursors compare as numbers). */
function lastCursor(batch: SiftEvent[]): string | undefined {
  let best: string | undefined;
  for (const e of batch) {
    if (e.cursor === undefined) continue;
    if (best === undefined || (e.cursor.length === best.length ? e.cursor > best : e.cursor.length > best.length)) best = e.cursor;
  }
  return best;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
