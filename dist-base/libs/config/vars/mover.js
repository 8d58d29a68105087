import { z } from 'zod';
import { bool, int } from '../fields.js';
import { spec } from '../spec.js';
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A duration such as `90s`, `15m`, `6h`, `30d` (or `500ms`), parsed to milliseconds. */
export const duration = (minMs, maxMs) => z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 30s, 15m, 6h or 7d')
    .transform((s) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(s);
    return Number(n) * UNIT_MS[unit];
})
    .pipe(z.number().min(minMs, `must be at least ${fmtMs(minMs)}`).max(maxMs, `must be at most ${fmtMs(maxMs)}`));
function fmtMs(ms) {
    for (const [u, f] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]])
        if (ms % f === 0 && ms >= f)
            return `${ms / f}${u}`;
    return `${ms}ms`;
}
const number = (min, max) => z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, `must be a number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));
/** The mover (hot → archive tiers, retention) and momentum (trending entities): worker jobs and /trends. */
export const MOVER_VARS = {
    MOVER_ENABLED: spec({
        schema: bool(),
        roles: ['worker'],
        default: 'true',
        description: 'Run the mover job: events older than MOVER_HOT_WINDOW (by database time) go from the hot table to the day-partitioned archive.',
    }),
    MOVER_HOT_WINDOW: spec({
        schema: duration(1000, 3650 * 86_400_000),
        // api too: GET /system reports the mover's lag against it (set it alike on api and worker).
        roles: ['worker', 'api'],
        default: '24h',
        description: 'Events ingested longer ago than this (database clock, `ingested_at`) leave the hot table (with its vectors and HNSW index) for the archive. Keep it above SOCKET_RECOVERY_WINDOW_MS. Set the same value on api processes: GET /system and the dashboard measure the mover\'s lag against it.',
    }),
    MOVER_INTERVAL: spec({
        schema: duration(100, 86_400_000),
        roles: ['worker'],
        default: '30s',
        description: 'How often the mover runs (a BullMQ job scheduler: one run per tick across all workers).',
    }),
    MOVER_BATCH_SIZE: spec({
        schema: int(1, 100_000),
        roles: ['worker'],
        default: '10000',
        description: 'Rows moved per transaction (claim, insert into archive, delete from hot; a lone batch holds the move lease, batches running beside each other claim FOR UPDATE SKIP LOCKED).',
    }),
    MOVER_MAX_BATCHES_PER_RUN: spec({
        schema: int(1, 1_000_000),
        roles: ['worker'],
        default: '200',
        description: 'A run stops after this many batches (the next tick carries on), so one run cannot hold a worker for long.',
    }),
    MOVER_ARCHIVE_VECTORS: spec({
        schema: bool(),
        roles: ['worker'],
        default: 'false',
        description: 'true: vectors of moved events go to `embeddings_archive` (no index); false: they are deleted (they can be recomputed from the text).',
    }),
    MOVER_VACUUM: spec({
        schema: bool(),
        roles: ['worker'],
        default: 'true',
        description: 'After a run, VACUUM the hot events table once the rows moved out of it since its last VACUUM exceed 10 % of it (and 1000), so it stays the size of the hot window even where autovacuum is off or lags. The embeddings table is left to autovacuum: vacuuming its HNSW index takes tens of seconds and would hold up the moves.',
    }),
    MOVER_ARCHIVE_RETENTION_DAYS: spec({
        schema: int(0, 36_500),
        roles: ['worker'],
        default: '30',
        description: 'Archive retention in whole UTC days: day partitions older than the current day minus this many days are dropped whole. 0 keeps the archive forever.',
    }),
    MOVER_PARTITIONS_AHEAD_DAYS: spec({
        schema: int(1, 60),
        roles: ['worker'],
        default: '2',
        description: 'Day partitions of the archive the mover keeps created ahead of the current day (a default partition catches anything else).',
    }),
    MOMENTUM_ENABLED: spec({
        schema: bool(),
        roles: ['worker'],
        default: 'true',
        description: 'Run the momentum job: recompute the trending-entities leaderboard, store a snapshot and broadcast changes (`trends.changed`).',
    }),
    MOMENTUM_INTERVAL: spec({
        schema: duration(100, 3_600_000),
        roles: ['worker'],
        default: '15s',
        description: 'How often the leaderboard is recomputed (one runner across all workers).',
    }),
    MOMENTUM_SHORT_WINDOW: spec({
        schema: duration(60_000, 86_400_000),
        roles: ['api', 'worker'],
        default: '10m',
        description: 'The recent window whose count is compared with the entity\'s baseline (whole minutes).',
    }),
    MOMENTUM_BASELINE_WINDOW: spec({
        schema: duration(60_000, 30 * 86_400_000),
        roles: ['api', 'worker'],
        default: '6h',
        description: 'The window before the short window that sets each entity\'s own baseline rate (whole minutes).',
    }),
    MOMENTUM_MIN_COUNT: spec({
        schema: int(1, 1_000_000),
        roles: ['api', 'worker'],
        default: '5',
        description: 'Minimum mentions in the short window for an entity to rank at all (low-count noise stays out).',
    }),
    MOMENTUM_SMOOTHING: spec({
        schema: number(0.1, 10_000),
        roles: ['api', 'worker'],
        default: '5',
        description: 'Pseudo-count added to both the short-window count and its expected value: score = log2((count + k) / (expected + k)).',
    }),
    MOMENTUM_MIN_SCORE: spec({
        schema: number(0, 100),
        roles: ['api', 'worker'],
        default: '1',
        description: 'Minimum score (log2 of the smoothed ratio to baseline; 1 = twice the usual rate) to count as gaining momentum.',
    }),
    MOMENTUM_MIN_Z: spec({
        schema: number(0, 1000),
        roles: ['api', 'worker'],
        default: '3',
        description: 'Minimum significance (count − expected) / sqrt(expected + smoothing) to count as gaining momentum.',
    }),
    MOMENTUM_ALERT_SCORE: spec({
        schema: number(0, 100),
        roles: ['worker'],
        default: '3',
        description: 'Score threshold whose crossing (up or down) by a listed entity is broadcast (3 = eight times the usual rate).',
    }),
    MOMENTUM_TOP_N: spec({
        schema: int(1, 500),
        roles: ['api', 'worker'],
        default: '20',
        description: 'Size of the leaderboard; entering or leaving it is broadcast.',
    }),
    MOMENTUM_SPARKLINE_POINTS: spec({
        schema: int(2, 1440),
        roles: ['api', 'worker'],
        default: '30',
        description: 'Per-minute counts returned as sparkline data for each leaderboard entry.',
    }),
    MOMENTUM_COUNTS_RETENTION: spec({
        schema: duration(3_600_000, 365 * 86_400_000),
        roles: ['worker'],
        default: '48h',
        description: 'Per-minute entity counts older than this are deleted (never less than the short plus baseline windows).',
    }),
    MOMENTUM_SNAPSHOT_RETENTION: spec({
        schema: duration(60_000, 365 * 86_400_000),
        roles: ['worker'],
        default: '24h',
        description: 'Leaderboard snapshots older than this are deleted (the newest is always kept).',
    }),
};
//# sourceMappingURL=mover.js.map