import { z } from 'zod';
import { int } from '../fields.js';
import { spec } from '../spec.js';
import { duration } from './mover.js';

const fraction = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `must be a number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));

/** Model lifecycle (src/models): promotion re-embed, the query switch, the evaluation gate and drift monitoring. */
export const MODELS_VARS = {
  MODEL_SWITCH_COVERAGE: spec({
    schema: fraction(0, 1),
    roles: ['worker', 'api'],
    default: '0.99',
    description: 'A promoted candidate starts answering queries once it has vectors for this share of hot events; until then the current active model serves.',
  }),
  MODEL_GATE_TOLERANCE: spec({
    schema: fraction(0, 1),
    roles: ['worker', 'api'],
    default: '0.02',
    description: 'Promotion is refused when any of the candidate\'s evaluation scores is below the active model\'s (or the recorded baseline) by more than this (absolute).',
  }),
  MODEL_REEMBED_BATCH: spec({
    schema: int(1, 10_000),
    roles: ['worker'],
    // bench:models (10k events, 2 cores): 256 left live ingest at 0.73–0.81× of idle during a
    // re-embed; 64 gave 0.94–1.00× with the re-embed still at 0.92× of the plain embed path.
    default: '64',
    description: 'Events re-embedded per claimed batch while a promotion runs. Smaller batches hold a core and a connection for less time, so live ingest keeps its pace.',
  }),
  MODEL_REEMBED_PAUSE_MS: spec({
    schema: int(0, 60_000),
    roles: ['worker'],
    default: '0',
    description: 'Pause between re-embed batches, to leave the CPU to live ingest (0 = none; the re-embed runs at concurrency 1 either way).',
  }),
  MODEL_REEMBED_YIELD_MS: spec({
    schema: int(1, 60_000),
    roles: ['worker'],
    default: '50',
    description: 'While live embed jobs are queued, the re-embed waits this long before re-checking (live ingest keeps priority).',
  }),
  MODEL_REEMBED_MAX_YIELDS: spec({
    schema: int(0, 10_000),
    roles: ['worker'],
    default: '40',
    description: 'At most this many waits per re-embed batch, so a constant live stream slows a promotion but cannot stall it (0 = never yield).',
  }),
  MODEL_REEMBED_LEASE_MS: spec({
    schema: int(1000, 3_600_000),
    roles: ['worker'],
    default: '30000',
    description: 'A re-embed claim expires this long after its last batch, so a killed worker\'s promotion is resumed by another (or by itself after restart).',
  }),
  MODEL_REFRESH_MS: spec({
    schema: int(100, 60_000),
    roles: ['api', 'worker'],
    default: '1000',
    description: 'How often a process re-reads which model is active (a switch or rollback reaches queries within this).',
  }),
  DRIFT_INTERVAL: spec({
    schema: duration(1000, 86_400_000),
    roles: ['worker'],
    default: '15m',
    description: 'How often the worker compares a window of recent vectors of the active model with its reference window.',
  }),
  DRIFT_WINDOW: spec({
    schema: int(50, 1_000_000),
    roles: ['worker', 'api'],
    default: '2000',
    description: 'Vectors in the recent window (newest events of the active model) and in a reference window frozen at promotion.',
  }),
  DRIFT_K: spec({
    schema: fraction(0.5, 20),
    roles: ['worker', 'api'],
    default: '4',
    description: 'A dimension has drifted when its mean moved by more than this many standard errors.',
  }),
  DRIFT_DIMS_THRESHOLD: spec({
    schema: fraction(0, 1),
    roles: ['worker', 'api'],
    default: '0.2',
    description: 'A window is drifted when more than this share of dimensions drifted (or the centroid / MMD thresholds are exceeded).',
  }),
  DRIFT_CENTROID_THRESHOLD: spec({
    schema: fraction(0, 2),
    roles: ['worker', 'api'],
    default: '0.05',
    description: 'A window is drifted when 1 − cosine(reference centroid, window centroid) exceeds this.',
  }),
  DRIFT_MMD_THRESHOLD: spec({
    schema: fraction(0, 10),
    roles: ['worker', 'api'],
    default: '0.02',
    description: 'A window is drifted when the random-feature MMD² between reference and window exceeds this.',
  }),
  DRIFT_ALERT_WINDOWS: spec({
    schema: int(1, 100),
    roles: ['worker', 'api'],
    default: '3',
    description: 'Drift is alerted after this many drifted windows in a row.',
  }),
  DRIFT_QUERY_FLOOR: spec({
    schema: fraction(0, 1),
    roles: ['api'],
    default: '0.5',
    description: 'Query-side drift: a search whose best semantic hit is below this cosine similarity counts as "nothing relevant".',
  }),
};
