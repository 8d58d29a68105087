var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Inject, Injectable, Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { isEmbedded } from '../../libs/config/index.js';
import { hostname } from 'node:os';
import { EVENT_BUS, TOPICS } from '../../libs/bus/event-bus.js';
import { JOB_QUEUE } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EventsRepository } from '../events/events.repository.js';
import { RelayRepository } from './relay.repository.js';
import { publishAndEnqueueEmbed } from './announcer.js';
import { SourceLease } from './source-lease.js';
import { SourcePipeline } from './source-pipeline.js';
import { Db } from '../../libs/database/index.js';
import { JetstreamAdapter } from './sources/jetstream.adapter.js';
import { ReplayServer } from './sources/replay-server.js';
import { SealedAdapter } from './sources/sealed.adapter.js';
import { parseSolanaSecretKey } from '../../libs/crypto/sealed-crypto.js';
/** Runs every configured source; only instantiated in the relay role. */
const STATUS_REPORT_MS = 2_000;
let RelayService = class RelayService {
    cfg;
    events;
    relay;
    schema;
    bus;
    jobs;
    db;
    log = new Logger('Relay');
    pipelines = new Map();
    replayServers = [];
    leases = [];
    reportTimer;
    stopping = false;
    /** Every source's stored rows: to the bus (socket.io fan-out) and the embed queue. */
    announce;
    constructor(cfg, events, relay, schema, bus, jobs, db) {
        this.cfg = cfg;
        this.events = events;
        this.relay = relay;
        this.schema = schema;
        this.bus = bus;
        this.jobs = jobs;
        this.db = db;
        this.announce = publishAndEnqueueEmbed(bus, jobs);
    }
    /** Batches go to the events repository, the rest of a source's records to the relay's own. */
    store = {
        writeBatch: (...a) => this.events.writeBatch(...a),
        writeBatchAfter: (...a) => this.events.writeBatchAfter(...a),
        cursor: (source) => this.relay.cursor(source),
        quarantine: (source, frames) => this.relay.quarantine(source, frames),
        recordGap: (g) => this.relay.recordGap(g),
    };
    onApplicationBootstrap() {
        void this.start().catch((err) => this.log.error({ msg: 'relay failed to start', error: err.message }));
    }
    async start() {
        await this.schema.ready;
        // Api instances (maybe in other containers) learn source states from these reports.
        this.reportTimer = setInterval(() => void this.report(), STATUS_REPORT_MS);
        this.reportTimer.unref();
        // Sources start independently: one waiting for its lease must not hold up the others.
        await Promise.all(this.cfg.RELAY_SOURCES.map((src) => this.startSource(src)));
    }
    async startSource(src) {
        // Embedded mode is one process on a one-connection pool: nothing to coordinate with.
        if (!isEmbedded(this.cfg)) {
            const lease = new SourceLease(this.db, src.name);
            this.leases.push(lease);
            if (!(await lease.acquire()) || this.stopping)
                return;
            lease.watch(() => void this.pipelines.get(src.name)?.pipeline.stop());
        }
        if (this.stopping)
            return;
        const adapter = await this.adapterFor(src);
        const pipeline = new SourcePipeline(adapter, this.store, {
            batchSize: this.cfg.RELAY_BATCH_SIZE,
            lingerMs: this.cfg.RELAY_BATCH_LINGER_MS,
            writesInFlight: this.cfg.RELAY_WRITES_IN_FLIGHT,
            bufferMax: this.cfg.RELAY_BUFFER_MAX,
            cursorOverlapMs: this.cfg.RELAY_CURSOR_OVERLAP_MS,
            connection: {
                backoffBaseMs: this.cfg.RELAY_BACKOFF_BASE_MS,
                backoffMaxMs: this.cfg.RELAY_BACKOFF_MAX_MS,
                healthyResetMs: this.cfg.RELAY_HEALTHY_RESET_MS,
                watchdogMs: this.cfg.RELAY_WATCHDOG_MS,
            },
            onStored: this.announce,
        });
        this.pipelines.set(src.name, { kind: src.kind, pipeline });
        await pipeline.start();
        this.log.log({ msg: 'source started', source: src.name, kind: src.kind });
    }
    async adapterFor(src) {
        switch (src.kind) {
            case 'jetstream':
                return new JetstreamAdapter(src, this.cfg.RELAY_MAX_FRAME_BYTES);
            case 'replay': {
                // The demo source: a local Jetstream-protocol server replaying a file, read over a real socket.
                const server = new ReplayServer({ file: resolve(src.file), rate: src.rate, loop: src.loop });
                this.replayServers.push(server);
                const url = await server.start();
                return new JetstreamAdapter({ name: src.name, url, collections: ['app.bsky.feed.post'], resume: true }, this.cfg.RELAY_MAX_FRAME_BYTES);
            }
            case 'sealed':
                // The key was validated at config load; a missing one never gets this far.
                return new SealedAdapter(src, parseSolanaSecretKey(this.cfg.RELAY_SEALED_SECRET_KEY, 'RELAY_SEALED_SECRET_KEY'), this.cfg.RELAY_MAX_FRAME_BYTES);
        }
    }
    async report() {
        const report = { relay: `${hostname()}:${process.pid}`, at: new Date().toISOString(), sources: this.status() };
        await this.bus.publish(TOPICS.sourceStatus, report).catch(() => undefined);
    }
    status() {
        return [...this.pipelines.entries()].map(([name, { kind, pipeline: p }]) => {
            const c = p.connection;
            const cursor = p.lastStoredCursor ?? null;
            const t = cursor ? p.adapter.cursorTime(cursor) : undefined;
            return {
                name,
                kind,
                state: c.state,
                resumable: p.adapter.resumable,
                lastFrameAt: c.lastFrameAt?.toISOString() ?? null,
                reconnects: c.reconnects,
                lastError: c.lastError ?? p.lastWriteError ?? null,
                buffered: p.buffered,
                cursor,
                eventAgeSeconds: t ? Math.max(0, (Date.now() - t.getTime()) / 1000) : null,
                relayLagSeconds: p.oldestWaitSeconds,
                stats: { ...p.stats },
            };
        });
    }
    // First shutdown phase: the job queue and database are still open while buffers flush.
    async onModuleDestroy() {
        this.stopping = true;
        clearInterval(this.reportTimer);
        // Stop reading and flush every buffer (cursor is committed with the last batch).
        await Promise.allSettled([...this.pipelines.values()].map(({ pipeline }) => pipeline.stop()));
        await Promise.allSettled(this.replayServers.map((s) => s.stop()));
        await Promise.allSettled(this.leases.map((l) => l.release()));
    }
};
RelayService = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(4, Inject(EVENT_BUS)),
    __param(5, Inject(JOB_QUEUE)),
    __metadata("design:paramtypes", [Object, EventsRepository,
        RelayRepository,
        SchemaStateService, Object, Object, Db])
], RelayService);
export { RelayService };
//# sourceMappingURL=relay.service.js.map