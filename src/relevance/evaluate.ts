/**
 * Retrieval evaluation over the shipped labelled set (eval/relevance-set.json): loads it into a
 * scratch database through the real paths — events through EventsRepository.writeBatch (the
 * relay's batch write), vectors through EmbeddingsService + EmbeddingsRepository (what the embed
 * processor does) — and queries it through the real SearchService, per mode. In the same run it
 * computes an in-memory BM25 and an exact cosine scan over the same texts and vectors as
 * references, and tunes the hybrid fusion weights on the set's `tune` split. Reported metrics are
 * over the `test` split. Used by `npm run eval:search` and the model eval gate (issue #20).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { loadConfig, type SiftConfig } from '../../libs/config/index.js';
import type { SiftEvent } from '../../libs/contracts/event.js';
import { Db, createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { MemoryCounterStore } from '../api/limits/counter-store.js';
import { SearchBudget } from '../api/limits/search-budget.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingsService, defaultModelLoaders } from '../embeddings/embeddings.service.js';
import { EventsRepository } from '../events/events.repository.js';
import { ModelsRepository } from '../models/models.repository.js';
import { ModelsService } from '../models/models.service.js';
import { weightedRrf } from '../search/bm25.js';
import { SearchService, type SearchMode } from '../search/search.service.js';
import { meanMetrics, scoreRanking, type RetrievalMetrics } from './metrics.js';
import { Bm25Index, exactCosine } from './references.js';

export type { RetrievalMetrics } from './metrics.js';

export interface RelevanceSetFile {
  name: string;
  documents: { id: string; text: string }[];
  queries: { id: string; text: string; kind: string; split: 'tune' | 'test'; relevant: Record<string, number> }[];
}

export interface HybridWeights {
  /** What the product runs with (SEARCH_HYBRID_* / SEARCH_RRF_K): modes.hybrid is measured with these. */
  configured: { semantic: number; keyword: number; k: number };
  /** Best nDCG@10 on the tune split over the grid, and its score there. */
  tuned: { semantic: number; keyword: number; k: number; tuneNdcg10: number };
  /** The configured weights' nDCG@10 on the tune split, for comparison. */
  configuredTuneNdcg10: number;
}

export interface RelevanceReport {
  set: { name: string; queries: number; documents: number; split: 'test'; tuneQueries: number };
  model: string;
  modes: Partial<Record<SearchMode, RetrievalMetrics>>;
  references: { bm25: RetrievalMetrics; exactCosine: RetrievalMetrics };
  hybridWeights: HybridWeights;
  seconds: number;
}

export interface EvaluateOptions {
  /** Any database URL on the server to use: a scratch database is created beside it and dropped. */
  databaseUrl: string;
  /** EMBEDDINGS_CHAIN folder or model id (`glove-100d@1`); default the bundled glove-100d. */
  embeddingModel?: string;
  modes?: SearchMode[];
  log?: (line: string) => void;
  /** Default eval/relevance-set.json under the working directory. */
  setPath?: string;
  /** Extra config (env-style) for the SearchService, e.g. SEARCH_HYBRID_KEYWORD_WEIGHT. */
  env?: Record<string, string>;
}

export const DEFAULT_SET_PATH = 'eval/relevance-set.json';
const SEMANTIC_WEIGHTS = [0.25, 0.5, 0.75, 1, 1.5, 2];
const KEYWORD_WEIGHTS = [1];
const RRF_KS = [5, 10, 20, 30, 60];

export function loadRelevanceSet(path = DEFAULT_SET_PATH): RelevanceSetFile {
  return JSON.parse(readFileSync(resolve(path), 'utf8')) as RelevanceSetFile;
}

export async function evaluateRetrieval(o: EvaluateOptions): Promise<RelevanceReport> {
  const t0 = performance.now();
  const log = o.log ?? (() => undefined);
  const set = loadRelevanceSet(o.setPath);
  const modes = o.modes ?? ['keyword', 'semantic', 'hybrid'];
  const chain = o.embeddingModel ? o.embeddingModel.replace(/@\d+$/, '') : undefined;
  const cfg: SiftConfig = loadConfig(
    { ...process.env, DATABASE_URL: o.databaseUrl, SIFT_ENV_FILE: 'none', API_SEARCH_EMBED_BUDGET_PER_MIN: '', ...(chain ? { EMBEDDINGS_CHAIN: chain } : {}), ...o.env },
    'api,worker',
  );
  const scratch = await createScratchDatabase(o.databaseUrl);
  log(`scratch database ${scratch.name}: ${set.documents.length} documents, ${set.queries.length} queries (${set.name})`);
  const ds = createDataSource({ url: scratch.url, migrations: MIGRATIONS, poolMax: 4, applicationName: 'sift-eval' });
  const embeddings = new EmbeddingsService(cfg, defaultModelLoaders, { probe: async () => ({ cuda: false, detail: 'eval: cpu only' }) });
  try {
    await ds.initialize();
    await runMigrationsLocked(ds);
    const db = Db.of(ds);
    const events = new EventsRepository(db);
    const vectors = new EmbeddingsRepository(db);
    embeddings.onApplicationBootstrap();
    await embeddings.settled;
    const model = embeddings.active;
    if (!model) throw new Error(`embedding model did not load: ${JSON.stringify(embeddings.status)}`);
    await vectors.registerModel(model, { m: cfg.SEARCH_HNSW_M, efConstruction: cfg.SEARCH_HNSW_EF_CONSTRUCTION });

    // ---- load: the relay's batch write, then the embed path
    const eventToDoc = new Map<string, string>();
    const docVectors: { id: string; vector: Float32Array }[] = [];
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < set.documents.length; i += 500) {
      const batch = set.documents.slice(i, i + 500);
      const rows: SiftEvent[] = batch.map((d, j) => ({ source: 'eval', sourceEventId: d.id, author: 'did:plc:eval', text: d.text, entities: [], createdAt: new Date(base + (i + j) * 1000) }));
      const stored = await events.writeBatch('eval', rows, String(i + batch.length));
      const texts = await events.textsWithoutVector(model.id, stored.map((s) => s.id));
      const vecs = await embeddings.embed(texts.map((t) => t.text), model.id);
      await vectors.write(model.id, texts.map((t, k) => ({ eventId: t.id, vector: vecs[k]! })));
      for (const s of stored) eventToDoc.set(s.id, s.sourceEventId);
      texts.forEach((t, k) => docVectors.push({ id: eventToDoc.get(t.id)!, vector: vecs[k]! }));
    }
    await ds.query(`ANALYZE events`);
    await ds.query(`ANALYZE embeddings`);
    log(`loaded and embedded with ${model.id} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const test = set.queries.filter((q) => q.split === 'test');
    const tune = set.queries.filter((q) => q.split === 'tune');
    const searchWith = (env: Record<string, string> = {}) => {
      const c = Object.keys(env).length ? { ...cfg, ...loadConfig({ ...process.env, DATABASE_URL: o.databaseUrl, SIFT_ENV_FILE: 'none', API_SEARCH_EMBED_BUDGET_PER_MIN: '', ...o.env, ...env }, 'api') } : cfg;
      // A scratch database has no registry rows: queries use the chain's model, the one loaded above.
      return new SearchService(embeddings, vectors, events, new SearchBudget(c, new MemoryCounterStore()), c, new ModelsService(c, new ModelsRepository(db), embeddings, vectors, events));
    };
    const search = searchWith();
    const rankedDocs = async (s: SearchService, q: string, mode: SearchMode, limit: number) => {
      const r = await s.search(q, { mode, limit });
      if (r.mode !== mode) throw new Error(`asked ${mode}, served ${r.mode}: ${r.fallback}`);
      return r.hits.map((h) => eventToDoc.get(h.event.id) ?? `?${h.event.id}`);
    };

    // ---- product modes on the test split
    const out: RelevanceReport['modes'] = {};
    const semanticTop: string[][] = [];
    for (const mode of modes) {
      const per: RetrievalMetrics[] = [];
      for (const q of test) {
        const ranked = await rankedDocs(search, q.text, mode, 10);
        if (mode === 'semantic') semanticTop.push(ranked);
        per.push(scoreRanking(ranked, q.relevant));
      }
      out[mode] = meanMetrics(per);
    }

    // ---- references over the same texts and vectors
    const bm25 = new Bm25Index(set.documents, cfg.SEARCH_BM25_K1, cfg.SEARCH_BM25_B);
    const queryVecs = await embeddings.embed(test.map((q) => q.text), model.id);
    // The vector index against exact search over the same vectors (recall@10 of the ANN).
    if (out.semantic && semanticTop.length) {
      const overlap = semanticTop.map((got, i) => {
        const exact = new Set(exactCosine(docVectors, queryVecs[i]!, 10));
        return got.filter((id) => exact.has(id)).length / Math.max(1, exact.size);
      });
      out.semantic.annRecall10 = Math.round((overlap.reduce((a, b) => a + b, 0) / overlap.length) * 1e4) / 1e4;
    }
    for (const mode of modes) log(`${mode}: ${JSON.stringify(out[mode])}`);
    const references = {
      bm25: meanMetrics(test.map((q) => scoreRanking(bm25.search(q.text, 10), q.relevant))),
      exactCosine: meanMetrics(test.map((q, i) => scoreRanking(exactCosine(docVectors, queryVecs[i]!, 10), q.relevant))),
    };

    // ---- fusion weights: the product's legs on the tune split, fused by the product's function
    const candidates = cfg.SEARCH_CANDIDATES;
    const legs: { sem: string[]; kw: string[]; relevant: Record<string, number> }[] = [];
    for (const q of tune) legs.push({ sem: await rankedDocs(search, q.text, 'semantic', candidates), kw: await rankedDocs(search, q.text, 'keyword', candidates), relevant: q.relevant });
    const tuneScore = (semantic: number, keyword: number, k: number) =>
      meanMetrics(legs.map((l) => scoreRanking(weightedRrf([{ ids: l.sem, weight: semantic }, { ids: l.kw, weight: keyword }], k).map((x) => x.id), l.relevant))).ndcg10;
    let best = { semantic: 1, keyword: 1, k: 60, tuneNdcg10: -1 };
    for (const k of RRF_KS)
      for (const semantic of SEMANTIC_WEIGHTS)
        for (const keyword of KEYWORD_WEIGHTS) {
          const s = tuneScore(semantic, keyword, k);
          if (s > best.tuneNdcg10 + 1e-9) best = { semantic, keyword, k, tuneNdcg10: s };
        }
    const configured = { semantic: cfg.SEARCH_HYBRID_SEMANTIC_WEIGHT, keyword: cfg.SEARCH_HYBRID_KEYWORD_WEIGHT, k: cfg.SEARCH_RRF_K };
    const hybridWeights: HybridWeights = { configured, tuned: best, configuredTuneNdcg10: tuneScore(configured.semantic, configured.keyword, configured.k) };
    log(`fusion weights tuned on ${tune.length} queries: ${JSON.stringify(hybridWeights)}`);

    return {
      set: { name: set.name, queries: test.length, documents: set.documents.length, split: 'test', tuneQueries: tune.length },
      model: model.id,
      modes: out,
      references,
      hybridWeights,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
  } finally {
    await embeddings.onApplicationShutdown().catch(() => undefined);
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await scratch.drop();
  }
}

async function createScratchDatabase(url: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `sift_eval_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url, application_name: 'sift-eval-admin' });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
