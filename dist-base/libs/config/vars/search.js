import { int } from '../fields.js';
import { spec } from '../spec.js';
/** Vector index and query tuning (pgvector HNSW). */
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
        default: '1000',
        description: 'Keyword search on a common term ranks (ts_rank_cd) only the newest this-many matching events (at least the rows asked for) instead of fetching every match: at 1M events a word in 7% of posts took seconds. Rarer terms are ranked in full.',
    }),
};
//# sourceMappingURL=search.js.map