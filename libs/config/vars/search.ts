import { z } from 'zod';
import { int } from '../fields.js';
import { spec } from '../spec.js';

const decimal = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `must be a number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));

/** Vector index and query tuning (pgvector HNSW), keyword ranking (BM25) and hybrid fusion. */
export const SEARCH_VARS = {
  SEARCH_HNSW_M: spec({
    schema: int(2, 100),
    roles: ['worker'],
    // bench:search at 1M (glove-100d): m 16 reached recall@10 0.89 at most; m 32 0.96–0.98 at
    // ef_search 800 over three builds (m 24: 0.956–0.963). Costs: index +10 % at 100k, build ×1.9,
    // each incremental insert ~1.8× (2.8 ms/vector at 100k, ~10 ms at 1M on 2 cores).
    default: '32',
    description: 'HNSW `m` (links per node) for a newly registered model\'s index. Higher = better recall, bigger index, slower inserts. Existing indexes keep theirs.',
  }),
  SEARCH_HNSW_EF_CONSTRUCTION: spec({
    schema: int(4, 1000),
    roles: ['worker'],
    default: '200',
    description: 'HNSW `ef_construction` for a newly registered model\'s index (bench:search, m 16: 64 gave recall@10 0.87 at 100k, 200 gave 0.96). Existing indexes keep theirs.',
  }),
  SEARCH_EF_SEARCH: spec({
    schema: int(1, 1000),
    roles: ['api'],
    // At 1M with m 32: 600 gave recall@10 0.9475–0.967 over builds, 800 gave 0.961–0.979.
    default: '800',
    description: 'HNSW `ef_search` set per query (SET LOCAL, at least 2× the rows asked for): candidates examined; higher = better recall, slower.',
  }),
  SEARCH_CANDIDATES: spec({
    schema: int(10, 1000),
    roles: ['api'],
    default: '100',
    description: 'Hybrid search: how many semantic and keyword candidates each feed into reciprocal rank fusion.',
  }),
  SEARCH_KEYWORD_MAX_MATCHES: spec({
    schema: int(10, 1_000_000),
    roles: ['api'],
    // Ranking is BM25 over the candidates' lexemes: 300 keeps the leg's cost bounded at 100k–1M
    // (bench:search) while eval:search finds no loss against 1000.
    default: '300',
    description: 'Keyword search: every event matching the query\'s rarer terms is BM25-ranked while their matches add up to at most this many; when common terms match more, the shortest this-many of their matches are ranked too (BM25 favours short posts), so ranking stays bounded and the best matches are not cut.',
  }),
  SEARCH_KEYWORD_MAX_TERMS: spec({
    schema: int(1, 128),
    roles: ['api'],
    default: '24',
    description: 'Keyword search on a long query (a pasted post, a question): only the this-many rarest distinct terms (highest IDF) are matched and scored.',
  }),
  SEARCH_BM25_K1: spec({
    schema: decimal(0, 10),
    roles: ['api'],
    default: '1.2',
    description: 'BM25 term-frequency saturation k1 for keyword search.',
  }),
  SEARCH_BM25_B: spec({
    schema: decimal(0, 1),
    roles: ['api'],
    default: '0.75',
    description: 'BM25 length normalisation b for keyword search (0: none, 1: full).',
  }),
  SEARCH_RRF_K: spec({
    schema: int(1, 1000),
    roles: ['api'],
    default: '60',
    description: 'Hybrid search: reciprocal rank fusion constant k (score = Σ weight / (k + rank)).',
  }),
  SEARCH_HYBRID_KEYWORD_WEIGHT: spec({
    schema: decimal(0, 10),
    roles: ['api'],
    // Weights chosen by `npm run eval:search` on the tune split of eval/relevance-set.json (eval/baseline.json).
    default: '1',
    description: 'Hybrid search: weight of the keyword (BM25) leg in weighted reciprocal rank fusion.',
  }),
  SEARCH_HYBRID_SEMANTIC_WEIGHT: spec({
    schema: decimal(0, 10),
    roles: ['api'],
    // eval:search tune split (glove-100d@1): semantic 0.25 / keyword 1 / k 60 gave nDCG@10 0.343
    // against 0.326 for equal weights; on the test split 0.396 vs 0.391 (keyword alone 0.357).
    default: '0.25',
    description: 'Hybrid search: weight of the semantic (vector) leg in weighted reciprocal rank fusion.',
  }),
};
