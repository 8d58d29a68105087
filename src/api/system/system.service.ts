import { Inject, Injectable } from '@nestjs/common';
import type { SiftConfig } from '../../../libs/config/index.js';
import { QUEUES } from '../../../libs/contracts/jobs.js';
import { JOB_QUEUE, queueDepths, type JobQueue } from '../../../libs/queue/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { EventsRepository } from '../../events/events.repository.js';
import { SourcesService } from '../sources/sources.service.js';

export interface SystemOverview {
  at: string;
  /** This api process: which roles it runs. With split roles, relay and worker figures come from the shared state below. */
  process: { roles: string[]; pid: number; uptimeSeconds: number };
  embeddings: { state: string; model: string | null; dims: number | null; device: string | null; reason: string | null; coverage: number | null };
  queues: { name: string; depth: number }[];
  mover: { hotWindowSeconds: number; oldestHotAgeSeconds: number | null; lagSeconds: number | null };
  ingest: { sources: number; connected: number; storedTotal: number; bufferedTotal: number };
}

/** Database figures cost a count over the hot table: computed at most this often. */
const DB_FIGURES_TTL_MS = 5_000;

/**
 * The numbers an operator needs, gathered from state every role shares (the database, the job
 * queue, the relays' status reports on the bus), so they are right whether one process runs every
 * role or relay, api and worker run apart. (/metrics is per process: in split mode the api's own
 * /metrics has no relay or mover figures.)
 */
@Injectable()
export class SystemService {
  private cached?: { at: number; coverage: number | null; model: string | null; oldestHotAgeSeconds: number | null };

  constructor(
    private readonly events: EventsRepository,
    private readonly embeddings: EmbeddingsService,
    private readonly sources: SourcesService,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  async overview(): Promise<SystemOverview> {
    const status = this.embeddings.status;
    const model = this.embeddings.active;
    const [db, queues, sources] = await Promise.all([
      this.dbFigures(model?.id ?? null),
      queueDepths(this.jobs, Object.values(QUEUES)),
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

  private async dbFigures(modelId: string | null) {
    const now = Date.now();
    if (this.cached && this.cached.model === modelId && now - this.cached.at < DB_FIGURES_TTL_MS) return this.cached;
    const [coverage, oldestHotAgeSeconds] = await Promise.all([modelId ? this.events.vectorCoverage(modelId) : Promise.resolve(null), this.events.oldestHotAgeSeconds(null)]);
    this.cached = { at: now, coverage, model: modelId, oldestHotAgeSeconds };
    return this.cached;
  }
}
