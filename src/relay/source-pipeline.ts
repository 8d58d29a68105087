import { Logger } from '@nestjs/common';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { Announcer } from './announcer.js';
import { BatchWriter, type BatchStore } from './batch-writer.js';
import { Intake } from './intake.js';
import { newPipelineStats } from './pipeline-stats.js';
import { ResumeTracker, type GapStore } from './resume-tracker.js';
import type { SourceAdapter } from './sources/source-adapter.js';
import { SourceConnection, type ConnectionOptions } from './source-connection.js';

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

/** What a pipeline writes to: batches go to the events repository; cursor reads, gaps and quarantine to the relay repository. */
export type PipelineStore = BatchStore & GapStore & { cursor(source: string): Promise<string | undefined> };

/**
 * One source end to end, composed of its parts:
 * connection → {@link Intake} (parse, quarantine, bounded buffer, backpressure; the resume point
 * and gaps in {@link ResumeTracker}) → {@link BatchWriter} (batches, ordered commits, retries) →
 * {@link Announcer} (the stored rows to onStored).
 */
export class SourcePipeline {
  readonly connection: SourceConnection;
  stats = newPipelineStats();
  private readonly resume: ResumeTracker;
  private readonly intake: Intake;
  private readonly writer: BatchWriter;

  constructor(
    readonly adapter: SourceAdapter,
    private readonly store: PipelineStore,
    o: PipelineOptions,
  ) {
    const log = new Logger(`Relay:${adapter.name}`);
    this.resume = new ResumeTracker(adapter, store, this.stats, o.cursorOverlapMs, log);
    this.connection = new SourceConnection({
      ...o.connection,
      name: adapter.name,
      url: () => this.adapter.connectUrl(this.resume.connectCursor()),
      onFrame: (f) => this.onFrame(f),
      onOpen: (reconnect) => this.resume.onOpen(reconnect),
    });
    const flow = { pause: () => this.connection.pause(), resume: () => this.connection.resume() };
    this.intake = new Intake(adapter, this.resume, flow, this.stats, o.bufferMax, () => this.writer.scheduleFlush());
    const announcer = new Announcer(o.onStored, log);
    this.writer = new BatchWriter(adapter, store, this.intake, announcer, this.stats, o, log);
  }

  async start() {
    const stored = await this.store.cursor(this.adapter.name);
    this.writer.lastStoredCursor = stored;
    this.resume.start(stored);
    this.connection.start();
  }

  /** Stop reading, then write out everything buffered (graceful shutdown). */
  async stop() {
    this.writer.stop();
    this.resume.stop();
    await this.connection.stop();
    await this.writer.flushRemaining();
    await this.resume.settled();
  }

  private onFrame(frame: Buffer) {
    this.intake.onFrame(frame);
  }

  get oldestWaitSeconds() {
    return this.intake.oldestWaitSeconds;
  }

  get buffered() {
    return this.intake.length;
  }

  /** Cursor of the newest committed batch. */
  get lastStoredCursor(): string | undefined {
    return this.writer.lastStoredCursor;
  }

  /** Normally read from the store by start(); settable for a pipeline driven without it. */
  set lastStoredCursor(cursor: string | undefined) {
    this.writer.lastStoredCursor = cursor;
  }

  get lastWriteError(): string | undefined {
    return this.writer.lastWriteError;
  }
}
