import { Injectable } from '@nestjs/common';
import { Db, type Sql } from '../../libs/database/index.js';

export type WatchMode = 'semantic' | 'keyword' | 'both';

export interface WatchSpec {
  name: string;
  query: string;
  mode: WatchMode;
  entity: string | null;
  source: string | null;
  author: string | null;
  /** Semantic match threshold (cosine); null for keyword-only watches. */
  minSimilarity: number | null;
  /** Fire when this many matches land within `windowMs` (1 = every match fires). */
  minMatches: number;
  windowMs: number;
  /** No second alert for this long after one; matches meanwhile are counted into the next. */
  cooldownMs: number;
}

export interface Watch extends WatchSpec {
  id: string;
  ownerKeyId: string | null;
  paused: boolean;
  createdAt: string;
  lastFiredAt: string | null;
}

/** The evaluator's view: the spec plus the trigger state and cached query vector. */
export interface WatchState extends Watch {
  queryVector: Float32Array | null;
  queryModelId: string | null;
  windowStart: Date | null;
  windowCount: number;
  suppressed: number;
}

export interface WatchStateUpdate {
  id: string;
  windowStart: Date | null;
  windowCount: number;
  lastFiredAt: Date | null;
  suppressed: number;
}

const toWatch = (r: Record<string, any>): WatchState => ({
  id: r.id,
  ownerKeyId: r.owner_key_id,
  name: r.name,
  query: r.query,
  mode: r.mode,
  entity: r.entity,
  source: r.source,
  author: r.author,
  minSimilarity: r.min_similarity,
  minMatches: r.min_matches,
  windowMs: r.window_ms,
  cooldownMs: r.cooldown_ms,
  paused: r.paused,
  createdAt: new Date(r.created_at).toISOString(),
  lastFiredAt: r.last_fired_at ? new Date(r.last_fired_at).toISOString() : null,
  queryVector: r.query_vector ? Float32Array.from(r.query_vector as number[]) : null,
  queryModelId: r.query_model_id,
  windowStart: r.window_start ? new Date(r.window_start) : null,
  windowCount: r.window_count,
  suppressed: r.suppressed,
});

/** The public shape (no vector, no internal trigger state). */
export const publicWatch = (w: WatchState): Watch => {
  const { queryVector: _v, queryModelId: _m, windowStart: _s, windowCount: _c, suppressed: _x, ...rest } = w;
  return rest;
};

/** Every statement on `watches` and `watch_cursor` (owned by the watches module). */
@Injectable()
export class WatchesRepository {
  constructor(private readonly db: Db) {}

  async create(ownerKeyId: string | null, s: WatchSpec, vector: { modelId: string; vector: Float32Array } | null): Promise<WatchState> {
    const rows = await this.db.query(
      `INSERT INTO watches (owner_key_id, name, query, mode, entity, source, author, min_similarity, min_matches, window_ms, cooldown_ms, query_vector, query_model_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [ownerKeyId, s.name, s.query, s.mode, s.entity, s.source, s.author, s.minSimilarity, s.minMatches, s.windowMs, s.cooldownMs, vector ? Array.from(vector.vector) : null, vector?.modelId ?? null],
    );
    return toWatch(rows[0]!);
  }

  /** `ownerKeyId` undefined = every watch (admin). */
  async list(ownerKeyId?: string | null): Promise<WatchState[]> {
    const rows = ownerKeyId === undefined
      ? await this.db.query(`SELECT * FROM watches ORDER BY watches.created_at, watches.id`)
      : await this.db.query(`SELECT * FROM watches WHERE owner_key_id IS NOT DISTINCT FROM $1 ORDER BY watches.created_at, watches.id`, [ownerKeyId]);
    return rows.map(toWatch);
  }

  async byId(id: string): Promise<WatchState | undefined> {
    const [row] = await this.db.query(`SELECT * FROM watches WHERE id = $1`, [id]);
    return row ? toWatch(row) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.query(`DELETE FROM watches WHERE id = $1 RETURNING 1`, [id])).length > 0;
  }

  async setPaused(id: string, paused: boolean): Promise<WatchState | undefined> {
    const [row] = await this.db.query(`UPDATE watches SET paused = $2 WHERE id = $1 RETURNING *`, [id, paused]);
    return row ? toWatch(row) : undefined;
  }

  /** The evaluator's one read of every active watch. */
  async active(): Promise<WatchState[]> {
    return (await this.db.query(`SELECT * FROM watches WHERE NOT paused ORDER BY watches.id`)).map(toWatch);
  }

  /** Stores recomputed query vectors (after a query-model change), all in one statement. */
  async setQueryVectors(modelId: string, rows: { id: string; vector: Float32Array }[]): Promise<void> {
    if (!rows.length) return;
    await this.db.query(
      `UPDATE watches w SET query_vector = t.v::real[], query_model_id = $1
         FROM (SELECT unnest($2::uuid[]) AS id, unnest($3::text[]) AS v) t WHERE w.id = t.id`,
      [modelId, rows.map((r) => r.id), rows.map((r) => `{${Array.from(r.vector).join(',')}}`)],
    );
  }

  async cursor(): Promise<string> {
    const [row] = await this.db.query(`SELECT last_event_id::text AS id FROM watch_cursor WHERE id = 1`);
    return row?.id ?? '0';
  }

  /**
   * Commits one evaluated batch: every changed watch's trigger state and the cursor, in one
   * transaction (two statements), so a crash re-evaluates the whole batch or none of it.
   */
  async commitBatch(lastEventId: string, updates: WatchStateUpdate[]): Promise<void> {
    await this.db.withTransaction(async (q: Sql) => {
      if (updates.length)
        await q.query(
          `UPDATE watches w SET window_start = t.ws, window_count = t.wc, last_fired_at = t.lf, suppressed = t.sp
             FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::timestamptz[]) AS ws, unnest($3::int[]) AS wc, unnest($4::timestamptz[]) AS lf, unnest($5::int[]) AS sp) t
            WHERE w.id = t.id`,
          [updates.map((u) => u.id), updates.map((u) => u.windowStart?.toISOString() ?? null), updates.map((u) => u.windowCount), updates.map((u) => u.lastFiredAt?.toISOString() ?? null), updates.map((u) => u.suppressed)],
        );
      await q.query(
        `INSERT INTO watch_cursor (id, last_event_id) VALUES (1, $1::bigint)
         ON CONFLICT (id) DO UPDATE SET last_event_id = GREATEST(watch_cursor.last_event_id, EXCLUDED.last_event_id)`,
        [lastEventId],
      );
    });
  }
}
