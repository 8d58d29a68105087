import { Inject, Injectable } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { metrics } from '../../libs/observability/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { SearchBudget } from '../api/limits/search-budget.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { EventsRepository, type KeywordCorpusStats } from '../events/events.repository.js';
import { planKeyword, weightedRrf } from './bm25.js';
import { parseKeywordQuery } from './keyword-query.js';
import { ModelsService } from '../models/models.service.js';

export type SearchMode = 'semantic' | 'keyword' | 'hybrid';

export interface SearchHit {
  event: StoredEvent;
  /** Fused score (hybrid: weighted reciprocal rank fusion), cosine similarity (semantic) or BM25 (keyword). */
  score: number;
  /** Cosine similarity, when the hit came through the vector index. */
  semantic: number | null;
  /** BM25 score, when the hit matched the keyword query. */
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
  /** Lower-cased entity the hits must mention ($btc, #ai, @alice.bsky.social, example.com). */
  entity?: string;
}

/** Document frequencies are counted exactly up to this many matches (above, the planner's statistics). */
const DF_COUNT_BOUND = 10_000;
/** Corpus size and mean length change slowly: refreshed at most this often. */
const CORPUS_STATS_TTL_MS = 10_000;

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
        const near = await this.vectors.nearest(model, vec!, o.limit, { efSearch: this.cfg.SEARCH_EF_SEARCH, since: o.since, source: o.source, entity: o.entity });
        this.models.noteSearch(near[0] ? 1 - near[0].distance : null);
        const byId = await this.load(near.map((n) => n.id));
        const hits = near.filter((n) => byId.has(n.id)).map((n) => ({ event: byId.get(n.id)!, score: 1 - n.distance, semantic: 1 - n.distance, keyword: null }));
        return this.result('semantic', model.id, coverage, partial, hits);
      }
      // Hybrid: semantic and keyword candidates fused by reciprocal rank.
      const k = Math.max(o.limit, this.cfg.SEARCH_CANDIDATES ?? 100);
      const [near, kw] = await Promise.all([
        this.vectors.nearest(model, vec!, k, { efSearch: this.cfg.SEARCH_EF_SEARCH, since: o.since, source: o.source, entity: o.entity }),
        this.keyword(q, o, k),
      ]);
      this.models.noteSearch(near[0] ? 1 - near[0].distance : null);
      const legs = new Map<string, { semantic: number | null; keyword: number | null; event?: StoredEvent }>();
      for (const n of near) legs.set(n.id, { semantic: 1 - n.distance, keyword: null });
      for (const h of kw) legs.set(h.event.id, { semantic: legs.get(h.event.id)?.semantic ?? null, keyword: h.keyword, event: h.event });
      const fused = weightedRrf(
        [
          { ids: near.map((n) => n.id), weight: this.cfg.SEARCH_HYBRID_SEMANTIC_WEIGHT ?? 1 },
          { ids: kw.map((h) => h.event.id), weight: this.cfg.SEARCH_HYBRID_KEYWORD_WEIGHT ?? 1 },
        ],
        this.cfg.SEARCH_RRF_K ?? 60,
      ).slice(0, o.limit);
      const byId = await this.load(fused.filter((f) => !legs.get(f.id)!.event).map((f) => f.id));
      const hits = fused
        .map((f) => ({ event: legs.get(f.id)!.event ?? byId.get(f.id)!, score: f.score, semantic: legs.get(f.id)!.semantic, keyword: legs.get(f.id)!.keyword }))
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

  /** Keyword leg: BM25 over an any-term match, with phrases and exclusions as hard filters (see bm25.ts). */
  private async keyword(q: string, o: SearchOptions, limit: number): Promise<SearchHit[]> {
    const parsed = parseKeywordQuery(q);
    if (!parsed.terms.trim()) return [];
    const maxTerms = this.cfg.SEARCH_KEYWORD_MAX_TERMS ?? 24;
    // One statement after the other, not in parallel: a hybrid search may hold at most two pooled
    // connections at once (its two legs), which is what API_SEARCH_MAX_CONCURRENT is sized by.
    const stats = await this.corpusStats();
    const terms = await this.events.keywordTermFrequencies(parsed.terms, maxTerms * 4, DF_COUNT_BOUND, stats.commonTerms);
    const plan = planKeyword(terms, stats, parsed.filter, {
      maxTerms,
      maxMatches: Math.max(limit, this.cfg.SEARCH_KEYWORD_MAX_MATCHES ?? 300),
      k1: this.cfg.SEARCH_BM25_K1 ?? 1.2,
      b: this.cfg.SEARCH_BM25_B ?? 0.75,
    });
    const rows = await this.events.keywordMatches(plan, { since: o.since, source: o.source, entity: o.entity }, limit);
    return rows.map((r) => ({ event: r.event, score: r.rank, semantic: null, keyword: r.rank }));
  }

  private corpusStatsCache?: { value: KeywordCorpusStats; at: number };
  private corpusStatsRefresh?: Promise<KeywordCorpusStats>;

  /** Like coverage: only the first search waits; later ones use the last value while it refreshes. */
  private async corpusStats(): Promise<KeywordCorpusStats> {
    const c = this.corpusStatsCache;
    const refresh = () =>
      (this.corpusStatsRefresh ??= this.events
        .keywordCorpusStats()
        .then((value) => ((this.corpusStatsCache = { value, at: Date.now() }), value))
        .finally(() => (this.corpusStatsRefresh = undefined)));
    if (!c) return refresh();
    if (Date.now() - c.at >= CORPUS_STATS_TTL_MS) refresh().catch(() => undefined);
    return c.value;
  }
}
