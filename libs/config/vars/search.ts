import { int } from '../fields.js';
import { spec } from '../spec.js';

/** Vector index and query tuning (pgvector HNSW). */
export const SEARCH_VARS = {
  SEARCH_HNSW_M: spec({
    schema: int(2, 100),
    roles: ['worker'],
    default: '16',
    description: 'HNSW `m` (links per node) for a newly registered model\'s index. Higher = better recall, bigger index.',
  }),
  SEARCH_HNSW_EF_CONSTRUCTION: spec({
    schema: int(4, 1000),
    roles: ['worker'],
    default: '200',
    description: 'HNSW `ef_construction` for a newly registered model\'s index (bench:search: 64 gave recall@10 0.87 at 100k, 200 gave 0.97 with ef_search 200). Existing indexes keep theirs.',
  }),
  SEARCH_EF_SEARCH: spec({
    schema: int(1, 1000),
    roles: ['api'],
    default: '200',
    description: 'HNSW `ef_search` set per query (SET LOCAL, at least 2× the rows asked for): candidates examined; higher = better recall, slower.',
  }),
  SEARCH_CANDIDATES: spec({
    schema: int(10, 1000),
    roles: ['api'],
    default: '100',
    description: 'Hybrid search: how many semantic and keyword candidates each feed into reciprocal rank fusion.',
  }),
};
