import { Inject, Injectable } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { metrics } from '../../libs/observability/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { SearchBudget } from '../api/limits/search-budget.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { EventsRepository } from '../events/events.repository.js';
import { ModelsService } from '../models/models.service.js';

export type SearchMode = 'semantic' | 'keyword' | 'hybrid';

export interface SearchHit {
  event: StoredEvent;
  /** Fused score (hybrid: reciprocal rank fusion), cosine similarity (semantic) or ts_rank (keyword). */
  score: number;
  /** Cosine similarity, when the hit came through the vector index. */
  semantic: number | null;
  /** ts_rank_cd, when the hit matched the keyword query. */
  keyword: number | null;
}

export interface SearchResult {
  mode: SearchMode;
  model: string | null;
  /** Share of events that have a vector from `model` (semantic results can only come from those). */
  coverage: number | null;
  /** Set when the requested mode could not be served as asked, saying what was done instead. */
  fallback: string | null;
  hits: SearchHit[];
}

export interface SearchOptions {
  mode: SearchMode;
  limit: number;
  since?: Date;
  source?: string;
}

/** RRF constant from Cormack et al.; damps the weight of the very top ranks. */
const RRF_K = 60;

@Injectable()
export class SearchService {
  private coverageCache?: { model: string; value: number; at: number };

  constructor(
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: EmbeddingsRepository,
    private readonly events: EventsRepository,
    private readonly budget: SearchBudget,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    /** The registry says which model answers queries, and collects query-side drift signals. */
    private readonly models: ModelsService,
  ) {}

  async search(q: string, o: SearchOptions): Promise<SearchResult> {
    const end = metrics.searchSeconds.startTimer({ mode: o.mode });
    try {
      if (o.mode === 'keyword') return this.result('keyword', null, null, null, await this.keyword(q, o, o.limit));
      const model = await this.models.forQueries();
      if (!model) {
        const why = this.embeddings.status.state === 'loading' ? 'embedding model still loading' : 'embeddings disabled';
        return this.result('keyword', null, null, `${why}: served by keyword search`, await this.keyword(q, o, o.limit));
      }
      const spend = await this.budget.take();
      if (!spend.ok) {
        return this.result('keyword', null, null, `query embedding budget for this minute is spent (resets in ${spend.resetS}s): served by keyword search`, await this.keyword(q, o, o.limit));
      }
      // Named model: vectors and query must come from the same one even if the chain shifts meanwhile.
      const [vec] = await model.embed([q]);
      const coverage = await this.coverage(model.id);
      const partial = coverage < 1 ? `model ${model.id} has vectors for ${(coverage * 100).toFixed(1)}% of events (backfill running)` : null;
      if (o.mode === 'semantic') {
        const near = await this.vectors.nearest(model, vec!, o.limit, { efSearch: this.cfg.SEARCH_EF_SEARCH, since: o.since, source: o.source });
        this.models.noteSearch(near[0] ? 1 - near[0].distance : null);
        const byId = await this.load(near.map((n) => n.id));
        const hits = near.filter((n) => byId.has(n.id)).map((n) => ({ event: byId.get(n.id)!, score: 1 - n.distance, semantic: 1 - n.distance, keyword: null }));
        return this.result('semantic', model.id, coverage, partial, hits);
      }
      // Hybrid: semantic and keyword candidates fused by reciprocal rank.
      const k = Math.max(o.limit, this.cfg.SEARCH_CANDIDATES ?? 100);
      const [near, kw] = await Promise.all([
        this.vectors.nearest(model, vec!, k, { efSearch: this.cfg.SEARCH_EF_SEARCH, since: o.since, source: o.source }),
        this.keyword(q, o, k),
      ]);
      this.models.noteSearch(near[0] ? 1 - near[0].distance : null);
      const fused = new Map<string, { score: number; semantic: number | null; keyword: number | null; event?: StoredEvent }>();
      near.forEach((n, i) => fused.set(n.id, { score: 1 / (RRF_K + i + 1), semantic: 1 - n.distance, keyword: null }));
      kw.forEach((h, i) => {
        const f = fused.get(h.event.id) ?? { score: 0, semantic: null, keyword: null };
        f.score += 1 / (RRF_K + i + 1);
        f.keyword = h.keyword;
        f.event = h.event;
        fused.set(h.event.id, f);
      });
      const top = [...fused.entries()].sort((a, b) => b[1].score - a[1].score || Number(b[0]) - Number(a[0])).slice(0, o.limit);
      const byId = await this.load(top.filter(([, f]) => !f.event).map(([id]) => id));
      const hits = top
        .map(([id, f]) => ({ event: f.event ?? byId.get(id)!, score: f.score, semantic: f.semantic, keyword: f.keyword }))
        .filter((h) => h.event);
      return this.result('hybrid', model.id, coverage, partial, hits);
    } finally {
      end();
    }
  }

  /** Events nearest to one event, by the active model. */
  async similar(id: string, limit: number): Promise<SearchResult | undefined> {
    const [event] = await this.events.byIds([id]);
    if (!event) return undefined;
    const model = await this.models.forQueries();
    if (!model) return this.result('semantic', null, null, 'embeddings disabled: no similar events', []);
    // An event not embedded yet is embedded on the spot rather than answering empty.
    const vec = (await this.vectors.vectorOf(model.id, id)) ?? (await model.embed([event.text]))[0]!;
    const near = await this.vectors.nearest(model, vec, limit, { efSearch: this.cfg.SEARCH_EF_SEARCH, excludeId: id });
    const byId = await this.load(near.map((n) => n.id));
    const hits = near.filter((n) => byId.has(n.id)).map((n) => ({ event: byId.get(n.id)!, score: 1 - n.distance, semantic: 1 - n.distance, keyword: null }));
    return this.result('semantic', model.id, await this.coverage(model.id), null, hits);
  }

  private result(mode: SearchMode, model: string | null, coverage: number | null, fallback: string | null, hits: SearchHit[]): SearchResult {
    return { mode, model, coverage, fallback, hits };
  }

  private async load(ids: string[]) {
    return new Map((await this.events.byIds(ids)).map((e) => [e.id, e]));
  }

  /**
   * Coverage is a count over two big tables (close to a second at 1M rows): it is refreshed in
   * the background, one refresh at a time, and a search only waits for the very first one.
   */
  private async coverage(modelId: string): Promise<number> {
    const c = this.coverageCache;
    if (c && c.model === modelId) {
      if (Date.now() - c.at > 5_000 && !this.coverageRefresh) this.coverageRefresh = this.refreshCoverage(modelId).catch(() => undefined);
      return c.value;
    }
    return (await (this.coverageRefresh ??= this.refreshCoverage(modelId))) ?? 0;
  }

  private coverageRefresh?: Promise<number | undefined>;

  private async refreshCoverage(modelId: string): Promise<number> {
    try {
      const value = await this.events.vectorCoverage(modelId);
      this.coverageCache = { model: modelId, value, at: Date.now() };
      return value;
    } finally {
      this.coverageRefresh = undefined;
    }
  }

  /** Keyword leg (see EventsRepository.keywordMatches for how common terms are capped). */
  private async keyword(q: string, o: SearchOptions, limit: number): Promise<SearchHit[]> {
    const cap = Math.max(limit, this.cfg.SEARCH_KEYWORD_MAX_MATCHES ?? 1000);
    const rows = await this.events.keywordMatches(q, { since: o.since, source: o.source }, limit, cap);
    return rows.map((r) => ({ event: r.event, score: r.rank, semantic: null, keyword: r.rank }));
  }
}
