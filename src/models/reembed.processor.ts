import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SiftConfig } from '../../libs/config/index.js';
import { QUEUES, type ModelReembedJob } from '../../libs/contracts/jobs.js';
import { JOB_QUEUE, type JobQueue } from '../../libs/queue/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import type { EmbeddingProvider } from '../embeddings/providers/provider.js';
import { EventsRepository } from '../events/events.repository.js';
import { DriftMonitor } from './drift.monitor.js';
import { modelMetrics } from './models.metrics.js';
import { ModelsRepository } from './models.repository.js';
import { ModelsService } from './models.service.js';

/**
 * Worker side of promotion. A promoted candidate's re-embed walks the stored events in id order
 * in batches; its claim and cursor are in the `models` row (one owner per model, with a lease),
 * so a worker killed mid-way leaves a claim that expires and a cursor the next owner continues
 * from. Vectors are written with ON CONFLICT DO NOTHING on (event_id, model_id): a batch re-run
 * after a kill never duplicates one. After each batch the coverage is checked; at
 * MODEL_SWITCH_COVERAGE the candidate becomes active in one transaction and its drift
 * reference window is frozen.
 *
 * The same walk keeps a promoted model that the chain does not list up to date with live ingest
 * (the chain's embed jobs only write the chain's model).
 */
@Injectable()
export class ReembedProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ModelReembed');
  private readonly owner = `${hostname()}:${process.pid}`;
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    private readonly models: ModelsService,
    private readonly repo: ModelsRepository,
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: EmbeddingsRepository,
    private readonly events: EventsRepository,
    private readonly schema: SchemaStateService,
    private readonly drift: DriftMonitor,
  ) {}

  onApplicationBootstrap() {
    void this.start().catch((err) => this.log.error({ msg: 'model re-embed worker failed to start', error: (err as Error).message }));
  }

  onModuleDestroy() {
    this.stopped = true;
    clearInterval(this.sweepTimer);
  }

  private async start() {
    await this.schema.ready;
    await this.embeddings.settled;
    if (this.stopped) return;
    await this.bootstrapRegistry();
    // Concurrency 1: a re-embed is background work, live embed jobs keep the other slots.
    this.jobs.process<ModelReembedJob>(QUEUES.modelReembed, async (job) => void (await this.reembed(job.name)), { concurrency: 1 });
    this.jobs.process(QUEUES.modelDrift, async () => void (await this.drift.runWindow()), { concurrency: 1 });
    await this.jobs.schedule(QUEUES.modelDrift, 'model-drift', this.cfg.DRIFT_INTERVAL, {});
    this.sweepTimer = setInterval(() => void this.sweep(), this.cfg.EMBED_SWEEP_MS);
    await this.sweep();
  }

  /**
   * First boot: the chain's serving local model is registered and, if nothing is active yet, made
   * active. A chain model new to the registry (EMBEDDINGS_CHAIN changed to a model never seen)
   * becomes active at once, as a config switch (audited): changing the chain keeps meaning what it
   * meant before the registry. A model already registered is never switched to by a restart, so a
   * promotion or rollback survives it.
   */
  private async bootstrapRegistry() {
    const serving = this.embeddings.active;
    const link = this.embeddings.localLinks.find((l) => l.provider === serving);
    if (!link) return;
    try {
      const known = await this.repo.byName(link.folder);
      await this.models.register(link.folder, 'bootstrap', { id: link.provider.id, dims: link.provider.dims });
      if (await this.repo.activateIfNone(link.folder, 'bootstrap')) {
        this.log.log({ msg: 'model registry bootstrapped: chain model is active', model: link.folder });
        return;
      }
      const active = await this.repo.active();
      if (!known && active && active.name !== link.folder) {
        const done = await this.repo.switchActive(link.folder, 'config', 'config-switch', { chain: this.cfg.EMBEDDINGS_CHAIN.map((e) => e.raw) });
        if (done) this.log.warn({ msg: 'active model switched by EMBEDDINGS_CHAIN (a model new to the registry)', model: link.folder, previous: done.previous });
      }
    } catch (err) {
      this.log.warn({ msg: 'could not record the chain model in the registry', model: link.folder, error: (err as Error).message });
    }
  }

  /** Enqueues the re-embed of every model under promotion, and the catch-up of an active model outside the chain. */
  async sweep() {
    if (this.stopped) return;
    try {
      const names = await this.repo.promoting();
      const active = await this.repo.active();
      if (active && !this.embeddings.providers.some((p) => p.id === active.modelId)) names.push(active.name);
      const period = Math.floor(Date.now() / this.cfg.EMBED_SWEEP_MS);
      for (const name of names) {
        await this.jobs.enqueue<ModelReembedJob>(QUEUES.modelReembed, { name }, { jobId: `reembed-${name}-${period}`, attempts: 3 });
      }
    } catch (err) {
      this.log.warn({ msg: 'model re-embed sweep failed', error: (err as Error).message });
    }
  }

  /** Runs (or resumes) the re-embed of `name`; returns how many vectors it wrote. */
  async reembed(name: string): Promise<number> {
    const row = await this.repo.byName(name);
    if (!row || row.status === 'retired') return 0;
    let promoting = row.status === 'candidate' && row.promotionRequestedAt !== null;
    let after: string | undefined;
    if (promoting) {
      after = await this.repo.claimReembed(name, this.owner, this.cfg.MODEL_REEMBED_LEASE_MS);
      if (after === undefined) return 0; // another worker holds a live claim
    } else if (row.status === 'active') {
      after = '0'; // catch-up walk of an active model outside the chain: idempotent, no claim needed
    } else return 0;
    const provider = await this.models.provider(name);
    let total = 0;
    let batches = 0;
    // Pipelined like the embed path: batch k is written (HNSW inserts in Postgres) while batch
    // k+1 is embedded here. The cursor moves past a batch only once its write has landed, so a
    // kill at any point resumes at or before the first unwritten event.
    let inFlight: Promise<{ after: string; written: number }> | undefined;
    const settle = async (): Promise<boolean> => {
      const p = inFlight;
      inFlight = undefined;
      if (!p) return true;
      const { after: upTo, written } = await p;
      total += written;
      modelMetrics.reembedded.inc({ model: name }, written);
      if (!promoting) return true;
      if (!(await this.repo.advanceReembed(name, this.owner, upTo, written, this.cfg.MODEL_REEMBED_LEASE_MS))) {
        this.log.warn({ msg: 're-embed claim lost (lease expired?): another worker continues', model: name });
        return false;
      }
      if (++batches % 4 === 0 && (await this.maybeSwitch(name))) promoting = false;
      return true;
    };
    try {
      while (!this.stopped) {
        const ids = await this.events.idsWithoutVector(row.modelId, this.cfg.MODEL_REEMBED_BATCH, after);
        if (!ids.length) break;
        const rows = await this.embedBatch(provider, row.modelId, ids);
        if (!(await settle())) return total;
        const upTo = ids[ids.length - 1]!;
        after = upTo;
        inFlight = this.writeBatch(row.modelId, rows).then((written) => ({ after: upTo, written }));
        inFlight.catch(() => undefined); // handled when settled
        if (this.cfg.MODEL_REEMBED_PAUSE_MS) await sleep(this.cfg.MODEL_REEMBED_PAUSE_MS);
        await this.yieldToLiveIngest();
      }
      if (!(await settle())) return total;
    } finally {
      await inFlight?.catch(() => undefined);
    }
    if (promoting && !this.stopped) await this.maybeSwitch(name);
    if (total) this.log.log({ msg: 're-embed pass done', model: name, embedded: total });
    return total;
  }

  /**
   * Live ingest keeps priority: while embed-events jobs are waiting or running, the re-embed
   * waits (MODEL_REEMBED_YIELD_MS at a time, at most MODEL_REEMBED_MAX_YIELDS times per batch so
   * a constant stream cannot starve it completely).
   */
  private async yieldToLiveIngest() {
    for (let i = 0; i < this.cfg.MODEL_REEMBED_MAX_YIELDS && !this.stopped; i++) {
      const depth = await this.jobs.depth(QUEUES.embedEvents).catch(() => 0);
      if (depth <= 0) return;
      await sleep(this.cfg.MODEL_REEMBED_YIELD_MS);
    }
  }

  private async embedBatch(provider: EmbeddingProvider, modelId: string, ids: string[]) {
    const todo = await this.events.textsWithoutVector(modelId, ids);
    const ok: { eventId: string; vector: Float32Array }[] = [];
    const bad: { eventId: string; error: string }[] = [];
    for (let i = 0; i < todo.length; i += this.cfg.EMBED_BATCH_SIZE) {
      const chunk = todo.slice(i, i + this.cfg.EMBED_BATCH_SIZE);
      try {
        const vs = await provider.embed(chunk.map((e) => e.text));
        chunk.forEach((e, j) => ok.push({ eventId: e.id, vector: vs[j]! }));
      } catch (batchErr) {
        const before = ok.length;
        for (const e of chunk) {
          try {
            ok.push({ eventId: e.id, vector: (await provider.embed([e.text]))[0]! });
          } catch (err) {
            bad.push({ eventId: e.id, error: (err as Error).message });
          }
        }
        if (ok.length === before) throw batchErr; // the model itself fails: the job retries later
      }
    }
    return { ok, bad };
  }

  private async writeBatch(modelId: string, { ok, bad }: { ok: { eventId: string; vector: Float32Array }[]; bad: { eventId: string; error: string }[] }) {
    await this.vectors.recordFailures(modelId, bad);
    return this.vectors.write(modelId, ok);
  }

  /** Switches queries to `name` once its coverage reaches MODEL_SWITCH_COVERAGE. */
  private async maybeSwitch(name: string): Promise<boolean> {
    const coverage = await this.models.coverage(name);
    if (coverage < this.cfg.MODEL_SWITCH_COVERAGE) return false;
    const done = await this.repo.switchActive(name, 'promotion', 'switch', { coverage, threshold: this.cfg.MODEL_SWITCH_COVERAGE });
    if (!done) return false;
    modelMetrics.switches.inc({ action: 'switch' });
    this.log.warn({ msg: 'active model switched: queries now use the promoted model', model: name, previous: done.previous, coverage });
    await this.drift.freezeReference(name).catch((err) => this.log.warn({ msg: 'could not freeze the drift reference', model: name, error: (err as Error).message }));
    return true;
  }
}
