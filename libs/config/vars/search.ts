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
    default: '64',
    description: 'HNSW `ef_construction` for a newly registered model\'s index.',
  }),
  SEARCH_EF_SEARCH: spec({
    schema: int(1, 1000),
    roles: ['api'],
    default: '100',
    description: 'HNSW `ef_search` set per query (SET LOCAL): candidates examined; higher = better recall, slower.',
  }),
  SEARCH_CANDIDATES: spec({
    schema: int(10, 1000),
    roles: ['api'],
    default: '100',
    description: 'Hybrid search: how many semantic and keyword candidates each feed into reciprocal rank fusion.',
  }),
};
