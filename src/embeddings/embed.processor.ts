import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { QUEUES, type EmbedEventsJob } from '../../libs/contracts/jobs.js';
import { JOB_QUEUE, type JobQueue } from '../../libs/queue/index.js';
import { metrics } from '../../libs/observability/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsService } from './embeddings.service.js';
import { VectorStore } from './vector-store.js';


/**
 * Worker side of embedding: consumes `embed-events` jobs (enqueued by the relay per stored
 * batch) and periodically sweeps for events that have no vector from the active model (lost
 * jobs, or a model that just became active).
 */
@Injectable()
export class EmbedProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('EmbedWorker');
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;
  private stopped = false;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    private readonly embeddings: EmbeddingsService,
    private readonly store: VectorStore,
    private readonly schema: SchemaStateService,
  ) {}

  onApplicationBootstrap() {
    void this.start();
  }

  onModuleDestroy() {
    this.stopped = true;
    clearInterval(this.sweepTimer);
  }

  private async start() {
    // Workers stay paused until what they need is there (novu's habit).
    await this.schema.ready;
    await this.embeddings.settled;
    const model = this.embeddings.active;
    if (!model || this.stopped) return;
    // Every loaded link (not just the active one) gets its row and index, so a fallback that
    // starts serving later writes into a ready index.
    for (const p of this.embeddings.providers) {
      await this.store.registerModel(p, { m: this.cfg.SEARCH_HNSW_M!, efConstruction: this.cfg.SEARCH_HNSW_EF_CONSTRUCTION! });
    }
    this.jobs.process<EmbedEventsJob>(QUEUES.embedEvents, async (job) => void (await this.embedIds(job.eventIds)), { concurrency: this.cfg.EMBED_CONCURRENCY });
    this.sweepTimer = setInterval(() => void this.sweep(), this.cfg.EMBED_SWEEP_MS);
    void this.sweep();
  }

  /** Embeds those of `ids` that lack a vector from the active model. Safe to run twice. */
  async embedIds(ids: string[]): Promise<number> {
    const model = this.embeddings.active;
    if (!model || !ids.length) return 0;
    const todo = await this.store.missing(model.id, ids);
    let written = 0;
    for (let i = 0; i < todo.length; i += this.cfg.EMBED_BATCH_SIZE) {
      const chunk = todo.slice(i, i + this.cfg.EMBED_BATCH_SIZE);
      try {
        const vectors = await this.embeddings.embed(chunk.map((e) => e.text), model.id);
        written += await this.store.write(model.id, chunk.map((e, j) => ({ eventId: e.id, vector: vectors[j]! })));
      } catch (err) {
        metrics.embedFailures.inc({ model: model.id });
        throw err;
      }
    }
    metrics.embeddedEvents.inc({ model: model.id }, written);
    return written;
  }

  /** Catches up on everything without a vector, in id order. */
  async sweep(): Promise<number> {
    const model = this.embeddings.active;
    if (!model || this.sweeping) return 0;
    this.sweeping = true;
    let total = 0;
    try {
      let after = '0';
      while (!this.stopped) {
        const ids = await this.store.idsMissing(model.id, this.cfg.EMBED_BATCH_SIZE * 4, after);
        if (!ids.length) break;
        total += await this.embedIds(ids);
        after = ids[ids.length - 1]!;
      }
      if (total) this.log.log({ msg: 'embedding sweep caught up', model: model.id, embedded: total });
    } catch (err) {
      this.log.warn({ msg: 'embedding sweep failed; will retry', error: (err as Error).message });
    } finally {
      this.sweeping = false;
    }
    return total;
  }
}
