import { Logger } from '@nestjs/common';
import { Announcer } from './announcer.js';
import { BatchWriter } from './batch-writer.js';
import { Intake } from './intake.js';
import { newPipelineStats } from './pipeline-stats.js';
import { ResumeTracker } from './resume-tracker.js';
import { SourceConnection } from './source-connection.js';
/**
 * One source end to end, composed of its parts:
 * connection → {@link Intake} (parse, quarantine, bounded buffer, backpressure; the resume point
 * and gaps in {@link ResumeTracker}) → {@link BatchWriter} (batches, ordered commits, retries) →
 * {@link Announcer} (the stored rows to onStored).
 */
export class SourcePipeline {
    adapter;
    store;
    connection;
    stats = newPipelineStats();
    resume;
    intake;
    writer;
    constructor(adapter, store, o) {
        this.adapter = adapter;
        this.store = store;
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
    onFrame(frame) {
        this.intake.onFrame(frame);
    }
    get oldestWaitSeconds() {
        return this.intake.oldestWaitSeconds;
    }
    get buffered() {
        return this.intake.length;
    }
    /** Cursor of the newest committed batch. */
    get lastStoredCursor() {
        return this.writer.lastStoredCursor;
    }
    /** Normally read from the store by start(); settable for a pipeline driven without it. */
    set lastStoredCursor(cursor) {
        this.writer.lastStoredCursor = cursor;
    }
    get lastWriteError() {
        return this.writer.lastWriteError;
    }
}
//# sourceMappingURL=source-pipeline.js.map