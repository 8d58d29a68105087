import { Injectable } from '@nestjs/common';
import type { UsageMetric } from '../../libs/contracts/usage.js';
import { Db } from '../../libs/database/index.js';

export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** One in-memory counter as the meter hands it over: a minute's sum for one key, metric and dimension. */
export interface UsageIncrement {
  keyId: string | null;
  /** Start of the minute, epoch ms (UTC). */
  minuteMs: number;
  metric: UsageMetric;
  dimension: string;
  quantity: number;
  /** Integer nano-USD, as a bigint so sums stay exact. */
  costNanoUsd: bigint;
}

/** A stored sum: one bucket, key, metric and dimension. */
export interface UsageRow {
  bucket: string;
  keyId: string | null;
  metric: UsageMetric;
  dimension: string;
  quantity: number;
  costNanoUsd: bigint;
}

export interface UsageRange {
  granularity: Granularity;
  from: Date;
  to: Date;
  /** A key id, null for usage with no key; undefined: every key. */
  keyId?: string | null;
}

function keyFilter(keyId: string | null | undefined, params: unknown[]): string {
  if (keyId === undefined) return '';
  if (keyId === null) return ' AND key_id IS NULL';
  return ` AND key_id = $${params.push(keyId)}`;
}

/** Every statement on `usage_counts` (owned by the usage module). */
@Injectable()
export class UsageRepository {
  constructor(private readonly db: Db) {}

  /**
   * Adds a batch of minute counters to their minute, hour and day rows in ONE statement. Rows are
   * grouped (two minutes of one hour make one hour row, which ON CONFLICT may touch only once) and
   * sorted, so concurrent flushes from several processes lock rows in the same order and never
   * deadlock; `quantity = quantity + excluded.quantity` makes concurrent adds sum, never overwrite.
   */
  async add(batch: UsageIncrement[]): Promise<void> {
    if (!batch.length) return;
    await this.db.query(
      `INSERT INTO usage_counts AS u (granularity, bucket, key_id, metric, dimension, quantity, cost_nano_usd)
       SELECT g.granularity, date_trunc(g.granularity, r.minute, 'UTC'), r.key_id, r.metric, r.dimension, sum(r.quantity), sum(r.cost)
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS r(key_id, minute, metric, dimension, quantity, cost)
        CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(granularity)
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
       ON CONFLICT (granularity, bucket, key_id, metric, dimension) DO UPDATE
         SET quantity = u.quantity + excluded.quantity, cost_nano_usd = u.cost_nano_usd + excluded.cost_nano_usd`,
      [
        batch.map((b) => b.keyId),
        batch.map((b) => new Date(b.minuteMs).toISOString()),
        batch.map((b) => b.metric),
        batch.map((b) => b.dimension),
        batch.map((b) => String(b.quantity)),
        batch.map((b) => b.costNanoUsd.toString()),
      ],
    );
  }

  /** Rows of one granularity with bucket in [from, to), oldest first; at most `limit`. */
  async rows(r: UsageRange, limit: number): Promise<UsageRow[]> {
    const params: unknown[] = [r.granularity, r.from.toISOString(), r.to.toISOString()];
    const cond = keyFilter(r.keyId, params);
    const rows = await this.db.query(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket, key_id, metric, dimension, quantity::text AS quantity, cost_nano_usd::text AS cost
         FROM usage_counts
        WHERE granularity = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz${cond}
        ORDER BY bucket, key_id NULLS FIRST, metric, dimension
        LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map((x) => ({ bucket: x.bucket, keyId: x.key_id, metric: x.metric, dimension: x.dimension, quantity: Number(x.quantity), costNanoUsd: BigInt(x.cost) }));
  }

  /** Sums per key, metric and dimension over [from, to) (bucket field empty). */
  async totals(r: UsageRange): Promise<UsageRow[]> {
    const params: unknown[] = [r.granularity, r.from.toISOString(), r.to.toISOString()];
    const cond = keyFilter(r.keyId, params);
    const rows = await this.db.query(
      `SELECT key_id, metric, dimension, sum(quantity)::text AS quantity, sum(cost_nano_usd)::text AS cost
         FROM usage_counts
        WHERE granularity = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz${cond}
        GROUP BY key_id, metric, dimension
        ORDER BY key_id NULLS FIRST, metric, dimension`,
      params,
    );
    return rows.map((x) => ({ bucket: '', keyId: x.key_id, metric: x.metric, dimension: x.dimension, quantity: Number(x.quantity), costNanoUsd: BigInt(x.cost) }));
  }

  /** Retention: deletes rows of one granularity whose bucket is older than `olderThanMs` (database clock). */
  async deleteOlderThan(granularity: Granularity, olderThanMs: number): Promise<number> {
    const rows = await this.db.query(
      `WITH gone AS (DELETE FROM usage_counts WHERE granularity = $1 AND bucket < now() - make_interval(secs => $2::float8 / 1000) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [granularity, olderThanMs],
    );
    return rows[0]!.n;
  }
}
