import { bool } from '../fields.js';
import { spec } from '../spec.js';
import { duration } from './mover.js';

/** Usage metering per API key (src/usage): counters in memory, flushed to Postgres in batches. */
export const USAGE_VARS = {
  USAGE_METERING: spec({
    schema: bool(),
    roles: 'all',
    default: 'true',
    description: 'Meter usage per API key and minute (requests by route and status class, searches, query embeddings, remote-embedding and LLM tokens, cost) for GET /usage, GET /admin/usage and `sift usage`. Off: nothing is counted or written (the /metrics latency histograms stay on).',
  }),
  USAGE_FLUSH_INTERVAL: spec({
    schema: duration(100, 300_000),
    roles: 'all',
    default: '5s',
    description: 'How often each process writes its usage counters (one multi-row upsert per flush, never a write per request). Also flushed on graceful shutdown; a failed flush keeps the counters and retries at the next tick.',
  }),
  USAGE_MINUTE_RETENTION: spec({
    schema: duration(3_600_000, 366 * 86_400_000),
    roles: ['worker'],
    default: '7d',
    description: 'Per-minute usage rows older than this are deleted by the worker\'s usage-retention job (hour and day rows keep the totals).',
  }),
  USAGE_HOUR_RETENTION: spec({
    schema: duration(86_400_000, 3650 * 86_400_000),
    roles: ['worker'],
    default: '90d',
    description: 'Per-hour usage rows older than this are deleted by the usage-retention job. Per-day rows are kept.',
  }),
  USAGE_RETENTION_INTERVAL: spec({
    schema: duration(1000, 86_400_000),
    roles: ['worker'],
    default: '1h',
    description: 'How often the usage-retention job runs (one run per tick across all workers).',
  }),
};
