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
import { Inject, Injectable } from '@nestjs/common';
import { QUEUES } from '../../../libs/contracts/jobs.js';
import { JOB_QUEUE } from '../../../libs/queue/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { EventsRepository } from '../../events/events.repository.js';
import { SourcesService } from '../sources/sources.service.js';
/** Database figures cost a count over the hot table: computed at most this often. */
const DB_FIGURES_TTL_MS = 5_000;
/**
 * The numbers an operator needs, gathered from state every role shares (the database, the job
 * queue, the relays' status reports on the bus), so they are right whether one process runs every
 * role or relay, api and worker run apart. (/metrics is per process: in split mode the api's own
 * /metrics has no relay or mover figures.)
 */
let SystemService = class SystemService {
    events;
    embeddings;
    sources;
    jobs;
    cfg;
    cached;
    constructor(events, embeddings, sources, jobs, cfg) {
        this.events = events;
        this.embeddings = embeddings;
        this.sources = sources;
        this.jobs = jobs;
        this.cfg = cfg;
    }
    async overview() {
        const status = this.embeddings.status;
        const model = this.embeddings.active;
        const [db, queues, sources] = await Promise.all([
            this.dbFigures(model?.id ?? null),
            Promise.all(Object.values(QUEUES).map(async (name) => ({ name, depth: await this.jobs.depth(name).catch(() => -1) }))),
            this.sources.list(),
        ]);
        const hotWindowSeconds = this.cfg.MOVER_HOT_WINDOW / 1000;
        return {
            at: new Date().toISOString(),
            process: { roles: this.cfg.roles, pid: process.pid, uptimeSeconds: Math.round(process.uptime()) },
            embeddings: {
                state: status.state,
                model: model?.id ?? null,
                dims: model?.dims ?? null,
                device: model?.device ?? null,
                reason: 'reason' in status ? (status.reason ?? null) : null,
                coverage: db.coverage,
            },
            queues,
            mover: {
                hotWindowSeconds,
                oldestHotAgeSeconds: db.oldestHotAgeSeconds,
                lagSeconds: db.oldestHotAgeSeconds === null ? null : Math.max(0, db.oldestHotAgeSeconds - hotWindowSeconds),
            },
            ingest: {
                sources: sources.length,
                connected: sources.filter((s) => s.state === 'connected').length,
                storedTotal: sources.reduce((a, s) => a + (s.stats?.stored ?? 0), 0),
                bufferedTotal: sources.reduce((a, s) => a + (s.buffered ?? 0), 0),
            },
        };
    }
    async dbFigures(modelId) {
        const now = Date.now();
        if (this.cached && this.cached.model === modelId && now - this.cached.at < DB_FIGURES_TTL_MS)
            return this.cached;
        const [coverage, oldestHotAgeSeconds] = await Promise.all([modelId ? this.events.vectorCoverage(modelId) : Promise.resolve(null), this.events.oldestHotAgeSeconds(null)]);
        this.cached = { at: now, coverage, model: modelId, oldestHotAgeSeconds };
        return this.cached;
    }
};
SystemService = __decorate([
    Injectable(),
    __param(3, Inject(JOB_QUEUE)),
    __param(4, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [EventsRepository,
        EmbeddingsService,
        SourcesService, Object, Object])
], SystemService);
export { SystemService };
//# sourceMappingURL=system.service.js.map