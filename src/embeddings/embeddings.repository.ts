import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/database/index.js';
import type { EmbeddingProvider } from './providers/provider.js';

/** pgvector text form: `[0.1,0.2,...]`. */
export const toVectorLiteral = (v: ArrayLike<number>) => `[${Array.from(v, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

/** Model ids become part of index names and SQL literals, so they are held to a strict shape. */
const MODEL_ID = /^[a-z0-9][a-z0-9._@-]{0,62}$/i;
export function assertModelId(id: string) {
  if (!MODEL_ID.test(id)) throw new Error(`invalid model id "${id}"`);
  return id;
}
/**
 * A one-dimensional Postgres array of pgvector values in binary wire format (array_recv →
 * vector_recv): array header, then per element its length, int16 dims, int16 unused and the
 * floats big-endian. Non-finite values become 0, as in {@link toVectorLiteral} (pgvector refuses them).
 */
export function encodeVectorArray(vectorOid: number, vectors: readonly ArrayLike<number>[]): Buffer {
  let size = 20;
  for (const v of vectors) size += 8 + 4 * v.length;
  const buf = Buffer.allocUnsafe(size);
  buf.writeInt32BE(1, 0); // ndim
  buf.writeInt32BE(0, 4); // no nulls
  buf.writeUInt32BE(vectorOid, 8);
  buf.writeInt32BE(vectors.length, 12);
  buf.writeInt32BE(1, 16); // lower bound
  let o = 20;
  for (const v of vectors) {
    const n = v.length;
    if (n > 16_000) throw new Error(`vector has ${n} dims, pgvector stores at most 16000`);
    buf.writeInt32BE(4 + 4 * n, o);
    buf.writeInt16BE(n, o + 4);
    buf.writeInt16BE(0, o + 6);
    o += 8;
    for (let d = 0; d < n; d++, o += 4) {
      const x = v[d]!;
      buf.writeFloatBE(Number.isFinite(x) ? x : 0, o);
    }
  }
  return buf;
}

const sqlLiteral = (s: string) => `'${assertModelId(s).replace(/'/g, "''")}'`;
export const hnswIndexName = (modelId: string) => `idx_embeddings_hnsw_${assertModelId(modelId).toLowerCase().replace(/[^a-z0-9]/g, '_')}`;

export interface SemanticHit {
  id: string;
  distance: number;
}

/**
 * Every statement on the embeddings module's tables: embedding_models, embeddings and
 * embedding_failures (embeddings_archive is written only by the move in the events repository,
 * which carries vectors along with their events in one statement). Filtered kNN joins events for
 * its filters; the work lists of events without a vector are in the events repository.
 */
@Injectable()
export class EmbeddingsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records the model and creates its partial HNSW index (column cast to its dims, so the
   * planner can use it only for that model's rows). Serialised by an advisory lock because
   * several workers may register the same model at boot. `hnsw`: the index's build parameters
   * (SEARCH_HNSW_M, SEARCH_HNSW_EF_CONSTRUCTION; their defaults live in the config schema only).
   */
  async registerModel(p: Pick<EmbeddingProvider, 'id' | 'dims' | 'device'>, hnsw: { m: number; efConstruction: number }) {
    await this.db.withTransaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('sift:register-model'))`);
      const prev = await m.query<{ dims: number }>(`SELECT dims FROM embedding_models WHERE id = $1`, [p.id]);
      if (prev.length && prev[0]!.dims !== p.dims) {
        throw new Error(`model ${p.id} was registered with ${prev[0]!.dims} dims, now reports ${p.dims}: bump its version`);
      }
      await m.query(
        `INSERT INTO embedding_models (id, dims, device) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET device = EXCLUDED.device, last_active_at = now()`,
        [p.id, p.dims, p.device],
      );
      await m.query(
        `CREATE INDEX IF NOT EXISTS ${hnswIndexName(p.id)} ON embeddings
         USING hnsw ((embedding::vector(${Number(p.dims)})) vector_cosine_ops)
         WITH (m = ${Number(hnsw.m)}, ef_construction = ${Number(hnsw.efConstruction)})
         WHERE model_id = ${sqlLiteral(p.id)}`,
      );
    });
  }

  /** Idempotent: a re-run batch does not duplicate vectors. Returns how many were new. */
  async write(modelId: string, rows: { eventId: string; vector: Float32Array }[]): Promise<number> {
    if (!rows.length) return 0;
    // One statement per chunk. The vectors travel as one binary vector[] parameter (node-postgres
    // sends Buffers in binary format): no number formatting here, no float parsing in Postgres,
    // and the float32 values land bit for bit.
    const vectors = encodeVectorArray(await this.vectorOid(), rows.map((r) => r.vector));
    const result = this.db.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO embeddings (event_id, model_id, embedding)
         SELECT e, $1, v FROM unnest($2::bigint[], $3::vector[]) AS t(e, v)
         ON CONFLICT (event_id, model_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [modelId, rows.map((r) => r.eventId), vectors],
    );
    // A failed write forgets the oid, in case the extension was re-created under a new one.
    const [row] = await result.catch((err) => {
      this.vectorOidP = undefined;
      throw err;
    });
    return row!.n;
  }

  private vectorOidP?: Promise<number>;
  /** pgvector's type oid (an extension type: it differs per database), needed in the binary array header. */
  private vectorOid(): Promise<number> {
    this.vectorOidP ??= this.db.query<{ oid: string }>(`SELECT 'vector'::regtype::oid::text AS oid`).then(
      (r) => Number(r[0]!.oid),
      (err) => {
        this.vectorOidP = undefined; // not cached: the next write asks again
        throw err;
      },
    );
    return this.vectorOidP;
  }

  /** Parks events the model could not embed, with the error; re-parking counts attempts. */
  async recordFailures(modelId: string, failures: { eventId: string; error: string }[]) {
    if (!failures.length) return;
    await this.db.query(
      `INSERT INTO embedding_failures (event_id, model_id, error)
       SELECT e, $1, err FROM unnest($2::bigint[], $3::text[]) AS t(e, err)
       ON CONFLICT (event_id, model_id) DO UPDATE SET error = EXCLUDED.error, attempts = embedding_failures.attempts + 1, failed_at = now()`,
      [modelId, failures.map((f) => f.eventId), failures.map((f) => f.error.replace(/\u0000/g, '').slice(0, 2000))],
    );
  }

  /**
   * kNN by cosine distance among one model's vectors, through its HNSW index. With filters,
   * pgvector's iterative scan keeps walking the index until enough rows pass them.
   */
  async nearest(
    model: Pick<EmbeddingProvider, 'id' | 'dims'>,
    query: Float32Array,
    limit: number,
    opts: { efSearch?: number; since?: Date; source?: string; entity?: string; excludeId?: string } = {},
  ): Promise<SemanticHit[]> {
    const dims = Number(model.dims);
    return this.db.withTransaction(async (m) => {
      // SET LOCAL: scoped to this transaction, so the pooled connection is left as found.
      // At least twice the rows asked for, or the candidate list has no margin (recall drops).
      await m.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(2 * limit, Number(opts.efSearch ?? 200)))}`);
      const filtered = opts.since || opts.source || opts.entity || opts.excludeId;
      if (filtered) await m.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      const params: unknown[] = [toVectorLiteral(query), limit];
      const where = [`m.model_id = ${sqlLiteral(model.id)}`];
      if (filtered) {
        if (opts.since) where.push(`e.created_at >= $${params.push(opts.since)}`);
        if (opts.source) where.push(`e.source = $${params.push(opts.source)}`);
        if (opts.entity) where.push(`e.entities @> ARRAY[$${params.push(opts.entity)}]::text[]`);
        if (opts.excludeId) where.push(`m.event_id <> $${params.push(opts.excludeId)}`);
      }
      const rows = await m.query<{ id: string; distance: number }>(
        `SELECT m.event_id::text AS id, (m.embedding::vector(${dims}) <=> $1::vector(${dims})) AS distance
         FROM embeddings m ${filtered ? 'JOIN events e ON e.id = m.event_id' : ''}
         WHERE ${where.join(' AND ')}
         ORDER BY m.embedding::vector(${dims}) <=> $1::vector(${dims}) LIMIT $2`,
        params,
      );
      // relaxed_order may return near-ties slightly out of order; callers get them sorted.
      return rows.map((r) => ({ id: r.id, distance: Number(r.distance) })).sort((a, b) => a.distance - b.distance);
    });
  }

  /** The stored vector of one event for `modelId`, if it has one. */
  async vectorOf(modelId: string, eventId: string): Promise<Float32Array | undefined> {
    const [row] = await this.db.query(`SELECT embedding::text AS v FROM embeddings WHERE model_id = $1 AND event_id = $2`, [modelId, eventId]);
    return row ? Float32Array.from(JSON.parse(row.v) as number[]) : undefined;
  }

  /** The newest `limit` vectors of `modelId` (by event id): the drift monitor's recent window. */
  async recentVectors(modelId: string, limit: number): Promise<Float32Array[]> {
    const rows = await this.db.query<{ v: string }>(
      `SELECT embedding::text AS v FROM embeddings WHERE model_id = $1 ORDER BY event_id DESC LIMIT $2`,
      [modelId, limit],
    );
    return rows.map((r) => Float32Array.from(JSON.parse(r.v) as number[]));
  }

  /**
   * The watch evaluator's one read per batch: the next `limit` hot events after `afterId` (by id),
   * each with its `modelId` vector when it has one yet (null otherwise).
   */
  async eventsWithVectorsAfter(modelId: string | null, afterId: string, limit: number): Promise<{ id: string; text: string; entities: string[]; source: string; author: string; ingestedAt: Date; vector: Float32Array | null }[]> {
    const rows = await this.db.query(
      `SELECT e.id::text AS id, e.text, e.entities, e.source, e.author, e.ingested_at, m.embedding::text AS v
         FROM events e LEFT JOIN embeddings m ON m.event_id = e.id AND m.model_id = $1
        WHERE e.id > $2::bigint ORDER BY e.id LIMIT $3`,
      [modelId, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, text: r.text, entities: r.entities, source: r.source, author: r.author, ingestedAt: new Date(r.ingested_at), vector: r.v ? Float32Array.from(JSON.parse(r.v) as number[]) : null }));
  }

  /** Retiring a model: its vectors and its partial index go (failures too); its embedding_models row stays as history. */
  async dropModel(modelId: string) {
    await this.db.query(`DROP INDEX IF EXISTS ${hnswIndexName(modelId)}`);
    await this.db.query(`DELETE FROM embeddings WHERE model_id = $1`, [modelId]);
    await this.db.query(`DELETE FROM embedding_failures WHERE model_id = $1`, [modelId]);
  }
}
