import type { Sql } from '../../libs/database/index.js';
import type { EntityKind, TrendChanges, TrendItem } from '../../libs/contracts/trends.js';
import type { WindowCounts, WindowSpan } from './momentum-score.js';

type Q = Sql;

export interface CountFilter {
  source?: string;
  kind?: EntityKind;
  entity?: string;
}

/** SQL condition (and its params) for a source / kind filter on entity_counts alias `c`. */
function filterSql(f: CountFilter, params: unknown[]): string {
  const and: string[] = [];
  if (f.source) and.push(`c.source = $${params.push(f.source)}`);
  if (f.entity) and.push(`c.entity = $${params.push(f.entity)}`);
  if (f.kind === 'cashtag') and.push(`c.entity LIKE '$%'`);
  else if (f.kind === 'hashtag') and.push(`c.entity LIKE '#%'`);
  else if (f.kind === 'mention') and.push(`c.entity LIKE '@%'`);
  else if (f.kind === 'domain') and.push(`left(c.entity, 1) NOT IN ('$', '#', '@')`);
  return and.map((s) => ` AND ${s}`).join('');
}

/** Window bounds from the database clock: the short window ends with the current (partial) minute. */
const BOUNDS = `
  SELECT now() AS at,
         date_trunc('minute', now()) AS cur,
         date_trunc('minute', now()) - make_interval(mins => $1::int - 1) AS short_start,
         date_trunc('minute', now()) - make_interval(mins => $1::int - 1) + make_interval(mins => $1::int / 2) AS half_start,
         date_trunc('minute', now()) - make_interval(mins => $1::int - 1 + $2::int) AS base_start`;

/**
 * Every statement on `entity_counts` and `trend_snapshots` (rows of entity_counts are written by
 * the events insert trigger, migration 1732400001400), shared by the momentum job and GET /trends.
 * Static, over any `Sql`: the job runs them inside its locked transaction, GET /trends on the pool.
 */
export class MomentumRepository {
  /**
   * Per-entity counts of the short window (entities with at least `minCount` there), of its
   * second half, and of the baseline window, with the elapsed window lengths. Only candidates'
   * baselines are read, each by a range scan of the (entity, bucket, source) key.
   */
  static async windowCounts(q: Q, w: { shortMinutes: number; baselineMinutes: number; minCount: number }, f: CountFilter = {}): Promise<{ rows: WindowCounts[]; span: WindowSpan; at: string }> {
    const params: unknown[] = [w.shortMinutes, w.baselineMinutes, w.minCount];
    const cond = filterSql(f, params);
    const rows: { entity: string; count: number; recent: number; baseline: number; short_min: number; recent_min: number; at: string }[] = await q.query(
      `WITH b AS (${BOUNDS}),
       s AS (
         SELECT c.entity, sum(c.count)::int AS count, coalesce(sum(c.count) FILTER (WHERE c.bucket >= b.half_start), 0)::int AS recent
           FROM entity_counts c, b
          WHERE c.bucket >= b.short_start AND c.bucket <= b.cur${cond}
          GROUP BY c.entity
         HAVING sum(c.count) >= $3
       )
       SELECT s.entity, s.count, s.recent, coalesce(bl.n, 0)::int AS baseline,
              extract(epoch FROM b.at - b.short_start)::float8 / 60 AS short_min,
              extract(epoch FROM b.at - b.half_start)::float8 / 60 AS recent_min,
              to_char(b.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
         FROM b LEFT JOIN s ON true
         LEFT JOIN LATERAL (
           SELECT sum(c.count) AS n FROM entity_counts c
            WHERE c.entity = s.entity AND c.bucket >= b.base_start AND c.bucket < b.short_start${cond}
         ) bl ON true`,
      params,
    );
    const first = rows[0]!;
    return {
      rows: rows.filter((r) => r.entity !== null).map((r) => ({ entity: r.entity, count: r.count, recent: r.recent, baselineCount: r.baseline })),
      span: { shortMinutes: Number(first.short_min), recentMinutes: Number(first.recent_min) },
      at: first.at,
    };
  }

  /** Per-minute counts of `entities` for the last `points` minutes (current minute last), zeros filled. */
  static async sparklines(q: Q, entities: string[], points: number, f: CountFilter = {}): Promise<Map<string, number[]>> {
    const out = new Map(entities.map((e) => [e, new Array<number>(points).fill(0)]));
    if (!entities.length) return out;
    const params: unknown[] = [entities, points];
    const cond = filterSql({ source: f.source }, params);
    const rows: { entity: string; i: number; n: number }[] = await q.query(
      `WITH b AS (SELECT date_trunc('minute', now()) - make_interval(mins => $2::int - 1) AS start)
       SELECT c.entity, (extract(epoch FROM c.bucket - b.start)::int / 60) AS i, sum(c.count)::int AS n
         FROM entity_counts c, b
        WHERE c.entity = ANY($1::text[]) AND c.bucket >= b.start AND c.bucket <= date_trunc('minute', now())${cond}
        GROUP BY 1, 2`,
      params,
    );
    for (const r of rows) {
      const line = out.get(r.entity);
      if (line && r.i >= 0 && r.i < points) line[r.i] = r.n;
    }
    return out;
  }

  /** One entity's counts per `stepMinutes` bucket over the last `minutes`, oldest first, zeros filled. */
  static async series(q: Q, entity: string, minutes: number, stepMinutes: number, f: CountFilter = {}): Promise<{ t: string; count: number }[]> {
    const params: unknown[] = [entity, minutes, stepMinutes];
    const cond = filterSql({ source: f.source }, params);
    return q.query(
      `WITH b AS (
         SELECT date_bin(make_interval(mins => $3::int), date_trunc('minute', now()), timestamptz '2000-01-01 00:00:00+00') AS last),
       g AS (
         SELECT generate_series(b.last - make_interval(mins => (ceil($2::float8 / $3::int)::int - 1) * $3::int), b.last, make_interval(mins => $3::int)) AS t FROM b),
       agg AS (
         SELECT date_bin(make_interval(mins => $3::int), c.bucket, timestamptz '2000-01-01 00:00:00+00') AS t, sum(c.count)::int AS n
           FROM entity_counts c
          WHERE c.entity = $1 AND c.bucket >= (SELECT min(t) FROM g)${cond}
          GROUP BY 1)
       SELECT to_char(g.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') AS t, coalesce(agg.n, 0)::int AS count
         FROM g LEFT JOIN agg USING (t) ORDER BY g.t`,
      params,
    );
  }

  static async latestSnapshot(q: Q): Promise<SnapshotRow | undefined> {
    const [r] = await q.query(
      `SELECT id::text AS id, to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "computedAt",
              short_window_minutes AS "shortWindowMinutes", baseline_minutes AS "baselineMinutes", items, changes
         FROM trend_snapshots ORDER BY trend_snapshots.id DESC LIMIT 1`,
    );
    return r;
  }

  /** Stores a leaderboard; its id and computed_at (database clock) as ISO text. */
  static async insertSnapshot(q: Q, r: { shortWindowMinutes: number; baselineMinutes: number; items: TrendItem[]; changes: TrendChanges }): Promise<{ id: string; computedAt: string }> {
    const [snap] = await q.query(
      `INSERT INTO trend_snapshots (computed_at, short_window_minutes, baseline_minutes, items, changes)
       VALUES (now(), $1, $2, $3::jsonb, $4::jsonb)
       RETURNING id::text AS id, to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "computedAt"`,
      [r.shortWindowMinutes, r.baselineMinutes, JSON.stringify(r.items), JSON.stringify(r.changes)],
    );
    return snap as { id: string; computedAt: string };
  }

  /** Retention: counts older than `countsMs`, snapshots older than `snapshotsMs` (the newest always stays). */
  static async deleteOlderThan(q: Q, countsMs: number, snapshotsMs: number): Promise<void> {
    await q.query(`DELETE FROM entity_counts WHERE bucket < now() - make_interval(secs => $1::double precision)`, [countsMs / 1000]);
    await q.query(
      `DELETE FROM trend_snapshots WHERE computed_at < now() - make_interval(secs => $1::double precision)
          AND id < (SELECT max(id) FROM trend_snapshots)`,
      [snapshotsMs / 1000],
    );
  }
}

export interface SnapshotRow {
  id: string;
  computedAt: string;
  shortWindowMinutes: number;
  baselineMinutes: number;
  items: TrendItem[];
  changes: TrendChanges;
}
