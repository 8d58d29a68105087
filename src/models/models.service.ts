import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import type { EmbeddingProvider } from '../embeddings/providers/provider.js';
import { EventsRepository } from '../events/events.repository.js';
import { QueryStats } from './drift.js';
import { gate, scoresFromRelevanceReport, type GateResult, type ModelScores, type RelevanceReportLike } from './gate.js';
import { describeFolder } from './model-folder.js';
import { modelMetrics } from './models.metrics.js';
import { ModelsRepository, type ModelRow } from './models.repository.js';

/** The model queries use: the registry's active one, embedding with the same model its vectors came from. */
export interface QueryModel {
  id: string;
  dims: number;
  device: string;
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Vocabulary hits in `text` when the model has a vocabulary (see EmbeddingProvider.knownTokens). */
  knownTokens?(text: string): number;
}

export class ModelLifecycleError extends Error {
  constructor(
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ModelLifecycleError';
  }
}

export interface ModelView extends ModelRow {
  /** Promotion progress: share of the switch threshold reached, and an ETA from the rate so far. */
  promotion: { coverage: number | null; threshold: number; etaSeconds: number | null } | null;
}

/**
 * The registry's one entry point: which model answers queries (cached per process, re-read every
 * MODEL_REFRESH_MS), the lifecycle operations the CLI and API call (register, scores, promote,
 * rollback, retire), and the query-side drift counters the search path feeds.
 */
@Injectable()
export class ModelsService implements OnApplicationShutdown {
  private readonly log = new Logger('Models');
  private activeCache?: { row: ModelRow | undefined; at: number };
  private activeRead?: Promise<ModelRow | undefined>;
  /** Providers loaded outside the chain, by folder name. */
  private readonly folders = new Map<string, Promise<EmbeddingProvider>>();
  readonly queries = new QueryStats();

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    private readonly repo: ModelsRepository,
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: EmbeddingsRepository,
    private readonly events: EventsRepository,
  ) {}

  async onApplicationShutdown() {
    await Promise.all([...this.folders.values()].map((p) => p.then((m) => m.dispose()).catch(() => undefined)));
  }

  /** The registry's active row, at most MODEL_REFRESH_MS old. */
  async activeRow(): Promise<ModelRow | undefined> {
    const c = this.activeCache;
    if (c && Date.now() - c.at < this.cfg.MODEL_REFRESH_MS) return c.row;
    this.activeRead ??= this.repo
      .active()
      .then((row) => {
        this.activeCache = { row, at: Date.now() };
        return row;
      })
      .finally(() => (this.activeRead = undefined));
    return this.activeRead.catch(() => c?.row); // a failed read keeps serving the last known model
  }

  /**
   * The model searches embed with and query vectors of. The registry's active model when there
   * is one (from the chain when a link has its id, so the chain's fallbacks apply; else its
   * folder loaded here), otherwise the chain's serving link, as before the registry existed.
   */
  async forQueries(): Promise<QueryModel | undefined> {
    const row = await this.activeRow();
    const chain = this.embeddings.active;
    if (!row || (chain && row.modelId === chain.id)) return chain && this.viaChain(chain);
    const inChain = this.embeddings.providers.find((p) => p.id === row.modelId);
    if (inChain) return this.viaChain(inChain);
    try {
      return await this.provider(row.name);
    } catch (err) {
      this.log.error({ msg: 'active model folder failed to load; queries use the chain model', model: row.name, error: (err as Error).message });
      return chain && this.viaChain(chain);
    }
  }

  private viaChain(p: EmbeddingProvider): QueryModel {
    return { id: p.id, dims: p.dims, device: p.device, embed: (texts) => this.embeddings.embed(texts, p.id), ...(p.knownTokens ? { knownTokens: (t: string) => p.knownTokens!(t) } : {}) };
  }

  /** A provider for a registered folder (loaded once per process). */
  provider(name: string): Promise<EmbeddingProvider> {
    let p = this.folders.get(name);
    if (!p) {
      p = this.embeddings.loadFolder(name);
      p.catch(() => this.folders.delete(name));
      this.folders.set(name, p);
    }
    return p;
  }

  /** The search path's one call per semantic search: its best similarity (null: no semantic hit). */
  noteSearch(bestSimilarity: number | null) {
    this.queries.note(bestSimilarity);
    const s = this.queries.snapshot(this.cfg.DRIFT_QUERY_FLOOR);
    if (s.medianTop1 !== null) modelMetrics.queryMedianTop1.set(s.medianTop1);
    if (s.belowFloorShare !== null) modelMetrics.queryBelowFloor.set(s.belowFloorShare);
  }

  async list(): Promise<ModelView[]> {
    return (await this.repo.list()).map((m) => ({ ...m, promotion: m.promotionRequestedAt ? this.progress(m) : null }));
  }

  private progress(m: ModelRow): ModelView['promotion'] {
    const threshold = this.cfg.MODEL_SWITCH_COVERAGE;
    const cov = m.coverage;
    const elapsed = (Date.now() - Date.parse(m.promotionRequestedAt!)) / 1000;
    const rate = cov !== null && elapsed > 0 ? cov / elapsed : 0;
    return { coverage: cov, threshold, etaSeconds: cov !== null && rate > 0 ? Math.max(0, (threshold - cov) / rate) : null };
  }

  /** Records a model folder as a candidate (idempotent; a changed folder under the same name is refused). */
  async register(name: string, actor: string, loaded?: { id: string; dims: number }): Promise<ModelRow> {
    const m = await describeFolder(this.cfg.EMBEDDINGS_MODEL_DIR, name, loaded);
    const prev = await this.repo.byName(name);
    if (prev && prev.checksum !== m.checksum) {
      throw new ModelLifecycleError(`model ${name} is registered with checksum ${prev.checksum.slice(0, 12)}…, the folder now has ${m.checksum.slice(0, 12)}…: give the changed model a new folder name/version`);
    }
    if (prev && prev.modelId !== m.modelId) throw new ModelLifecycleError(`model ${name} is registered as ${prev.modelId}, its meta.json now says ${m.modelId}`);
    await this.vectors.registerModel({ id: m.modelId, dims: m.dims, device: 'cpu' }, { m: this.cfg.SEARCH_HNSW_M!, efConstruction: this.cfg.SEARCH_HNSW_EF_CONSTRUCTION! });
    if (await this.repo.register(m)) this.log.log({ msg: 'model registered', model: name, id: m.modelId, checksum: m.checksum, actor });
    return (await this.repo.byName(name))!;
  }

  /** Stores the relevance harness's report as the model's scores: the one call `sift models eval` makes. */
  async recordRelevanceReport(name: string, report: RelevanceReportLike): Promise<ModelScores> {
    const scores = scoresFromRelevanceReport(report);
    if (!(await this.repo.setScores(name, scores))) throw new ModelLifecycleError(`no registered model named ${name}`);
    return scores;
  }

  /** The gate for `name` against the active model's scores (or `baseline` when given, e.g. the recorded CI baseline). */
  async check(name: string, baseline?: ModelScores): Promise<GateResult> {
    const cand = await this.mustGet(name);
    const active = await this.repo.active();
    return gate(cand.scores, baseline ?? active?.scores ?? null, this.cfg.MODEL_GATE_TOLERANCE);
  }

  /**
   * Starts a promotion: refused (with the numbers) when the gate fails, unless forced (audited
   * as promote-forced). The worker's re-embed then runs; the switch happens at the coverage threshold.
   */
  async promote(name: string, actor: string, opts: { force?: boolean; baseline?: ModelScores } = {}) {
    const m = await this.mustGet(name);
    if (m.status !== 'candidate') throw new ModelLifecycleError(`model ${name} is ${m.status}: only a candidate can be promoted`);
    const verdict = await this.check(name, opts.baseline);
    if (!verdict.ok && !opts.force) throw new ModelLifecycleError(`promotion of ${name} refused: ${verdict.reason}`, { shortfalls: verdict.shortfalls });
    await this.repo.requestPromotion(name, actor, !verdict.ok, verdict.ok ? { gate: 'passed' } : { gate: 'forced', reason: verdict.reason });
    this.log.warn({ msg: verdict.ok ? 'model promotion started' : 'model promotion FORCED past the evaluation gate', model: name, actor, ...(verdict.ok ? {} : { reason: verdict.reason }) });
    return { name, gate: verdict };
  }

  /** Switches back to the previous active model at once (its vectors were kept). */
  async rollback(actor: string) {
    const prev = await this.repo.previousActive();
    if (!prev) throw new ModelLifecycleError('no previous active model to roll back to');
    const done = await this.repo.switchActive(prev.name, actor, 'rollback', {});
    if (!done) throw new ModelLifecycleError(`could not roll back to ${prev.name}`);
    modelMetrics.switches.inc({ action: 'rollback' });
    this.activeCache = undefined;
    this.log.warn({ msg: 'model rolled back', to: prev.name, from: done.previous, actor });
    return { active: prev.name, previous: done.previous };
  }

  /** Retires a non-active model and removes its vectors and index. */
  async retire(name: string, actor: string) {
    const m = await this.mustGet(name);
    if (m.status === 'active') throw new ModelLifecycleError(`model ${name} is active: promote another or roll back first`);
    if (this.cfg.EMBEDDINGS_CHAIN.some((e) => e.kind === 'local' && e.name === name)) {
      throw new ModelLifecycleError(`model ${name} is in EMBEDDINGS_CHAIN: remove it there first, or the worker embeds with it again`);
    }
    const modelId = await this.repo.retire(name, actor);
    if (!modelId) throw new ModelLifecycleError(`model ${name} is ${m.status}`);
    await this.vectors.dropModel(modelId);
    this.log.warn({ msg: 'model retired, vectors removed', model: name, actor });
    return { retired: name };
  }

  async coverage(name: string): Promise<number> {
    const m = await this.mustGet(name);
    const c = await this.events.vectorCoverage(m.modelId);
    await this.repo.setCoverage(name, c);
    modelMetrics.coverage.set({ model: name }, c);
    return c;
  }

  private async mustGet(name: string): Promise<ModelRow> {
    const m = await this.repo.byName(name);
    if (!m) throw new ModelLifecycleError(`no registered model named ${name} (sift models register ${name})`);
    return m;
  }
}
