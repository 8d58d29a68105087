import { Injectable } from '@nestjs/common';
import type { SiftEvent, StoredEvent } from '../../libs/contracts/event.js';
import { Db, sqlState, type DbClient, type Sql } from '../../libs/database/index.js';
import { addDays, ARCHIVE_TABLES, DAY, partitionName, type ArchiveParent, type ArchivePartition } from './archive-days.js';

/*
 * Every statement on the events tables (events, the day-partitioned events_archive and the
 * events_all view over both) lives in this file, so one file shows how they are written, read,
 * searched and tiered. Three kinds of statement here reach beyond those tables, each because one
 * statement must do both parts (docs/architecture.md lists them):
 *  - the relay's batch insert writes the source's cursor in the same statement (source_cursors),
 *    so a cursor never points past what is stored;
 *  - the move to the archive carries each event's vectors along (embeddings, embeddings_archive),
 *    so an event and its vectors are always in the same tier;
 *  - the embedding work lists read events that lack a vector (NOT EXISTS on embeddings).
 * Its generated snapshot (sql/events.repository.sql) shows every statement's text.
 */

/** Postgres array literal for one row's text[] (unnest cannot take jagged 2-D arrays). */
export function pgTextArray(xs: string[]): string {
  return `{${xs.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Advisory lock key held by every batch insert; any 64-bit constant unique to this purpose. */
export const COMMIT_ORDER_LOCK = '7305814912009113601';

/**
 * The rows an insert returned (only the new ones), as stored events built from the batch. Rows
 * normally come back in batch order, so they are matched by walking both lists; a row that does
 * not line up (duplicates were skipped) is looked up by its source event id instead.
 */
export function toStoredEvents(source: string, events: SiftEvent[], rows: { id: string; source_event_id: string; ingested_at: Date | string }[]): StoredEvent[] {
  let bySid: Map<string, SiftEvent> | undefined;
  const out: StoredEvent[] = new Array(rows.length);
  // Rows of one insert share ingested_at (the transaction's now()): format it once per value.
  let lastAt: Date | string | undefined;
  let lastIso = '';
  let j = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let e: SiftEvent | undefined;
    if (!bySid) {
      while (j < events.length && events[j]!.sourceEventId !== r.source_event_id) j++;
      if (j < events.length) e = events[j++];
      else bySid = firstBySid(events);
    }
    if (bySid) e = bySid.get(r.source_event_id);
    if (!e) throw new Error(`insert returned ${r.source_event_id}, which is not in the batch`);
    const at = r.ingested_at;
    if (at !== lastAt && !(at instanceof Date && lastAt instanceof Date && at.getTime() === lastAt.getTime())) {
      lastAt = at;
      lastIso = new Date(at).toISOString();
    }
    out[i] = {
      id: r.id,
      source,
      sourceEventId: e.sourceEventId,
      author: e.author,
      text: e.text,
      entities: e.entities,
      createdAt: e.createdAt.toISOString(),
      ingestedAt: lastIso,
    };
  }
  return out;
}

/** Events by source event id; the first of a repeated id wins, as it does in the insert. */
function firstBySid(events: SiftEvent[]): Map<string, SiftEvent> {
  const m = new Map<string, SiftEvent>();
  for (const e of events) if (!m.has(e.sourceEventId)) m.set(e.sourceEventId, e);
  return m;
}

type InsertedRow = { id: string; source_event_id: string; ingested_at: Date };

/** The cursor write of a batch ($8, skipped when null), after the commit-order lock (`lk`). */
const CURSOR_WRITE = `INSERT INTO source_cursors (source, cursor) SELECT $1, $8::text WHERE $8::text IS NOT NULL AND EXISTS (SELECT 1 FROM lk)
   ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;

/**
 * The commit-order lock, first thing in every batch statement. A chained batch ($9: the cursor of
 * the batch before it) takes it through sift_relay_batch_turn (migration 1732400001700), which
 * also fails the statement with OUT_OF_TURN, before any id is drawn, if that batch has not
 * committed: batches of a source commit, and take ids, in the order they were read, and a
 * cursor never moves past a batch that did not commit (the relay may have two of a source in
 * flight, and the second may reach Postgres first). A chained write assumes the source's cursor
 * row exists: the relay chains only once it stored one.
 */
const commitOrder = (chained: boolean, after = '$9') =>
  `lk AS MATERIALIZED (SELECT ${chained ? `sift_relay_batch_turn($1, ${after}::text, ${COMMIT_ORDER_LOCK})` : `pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`})`;

/** SQLSTATE of a chained batch sent before the batch ahead of it committed (it is sent again in turn). */
export const OUT_OF_TURN = 'SR001';

/**
 * One autocommit statement per batch, so one round trip writes it and commits it:
 * - `lk` takes the commit-order lock. It is a one-time filter of the insert's source rows (an
 *   InitPlan, evaluated before the first row is produced), so it is held before any id is drawn
 *   by nextval, and until the statement's implicit commit. Batch commits are therefore
 *   serialised across sources and relay processes, and event ids become visible in id order: a
 *   socket.io client resuming "after id N" misses nothing.
 * - the rows, then the cursor in a CTE, so both commit together.
 */
const batchInsert = (onConflict: string, chained: boolean) => `WITH ${commitOrder(chained)}, ins AS (
    INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
    SELECT $1, sid, author, text, ents::text[], lang, created_at
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
      AS t(sid, author, text, ents, lang, created_at)
    WHERE EXISTS (SELECT 1 FROM lk)
    ${onConflict}
    RETURNING id, source_event_id, ingested_at
  ), cur AS (
    ${CURSOR_WRITE}
  )
  SELECT id::text AS id, source_event_id, ingested_at FROM ins`;

/**
 * Plain INSERT: a repeated (source, source_event_id) fails the statement with 23505 instead of
 * being skipped. ON CONFLICT's speculative insertion (a pre-check of the unique index, a
 * speculative heap tuple, then its confirmation, with extra WAL) costs Postgres CPU on every row
 * of every batch, and duplicates only come with replays (a reconnect's cursor overlap, a batch
 * retried after its commit reply was lost). Measured on the backend with the CTE and fewer round trips:
 * ~53 → ~42 µs of Postgres CPU per row (bench:ingest's COPY baseline pays ~45).
 */
const INSERT_NEW = [batchInsert('', false), batchInsert('', true)] as const;
/** Skips rows whose key is already stored: the unique index decides, under any concurrency. */
const INSERT_SKIP_DUPES = [batchInsert('ON CONFLICT (source, source_event_id) DO NOTHING', false), batchInsert('ON CONFLICT (source, source_event_id) DO NOTHING', true)] as const;
/** A cursor with no rows ($1 source, $2 cursor, $3 the predecessor's). */
const CURSOR_ONLY = [false, true].map((chained) => `WITH ${commitOrder(chained, '$3')} ${CURSOR_WRITE.replace(/\$8/g, '$2')}`);

export interface EventFilter {
  source?: string;
  author?: string;
  entity?: string;
  contains?: string;
  since?: Date;
  until?: Date;
  /** Return events with id < beforeId (cursor pagination, newest first). */
  beforeId?: string;
  limit: number;
}

/** The columns of a StoredEvent, for any query over alias `e` of events / events_archive / events_all. */
export const EVENT_COLUMNS = `e.id::text AS id, e.source, e.source_event_id AS "sourceEventId", e.author, e.text, e.entities,
  e.created_at AS "createdAt", e.ingested_at AS "ingestedAt"`;

/** The one row → StoredEvent mapper for rows selected with EVENT_COLUMNS. */
export function toStoredEvent(r: Record<string, any>): StoredEvent {
  return {
    id: String(r.id),
    source: r.source,
    sourceEventId: r.sourceEventId,
    author: r.author,
    text: r.text,
    entities: r.entities ?? [],
    createdAt: new Date(r.createdAt).toISOString(),
    ingestedAt: new Date(r.ingestedAt).toISOString(),
  };
}

export interface KeywordFilter {
  since?: Date;
  source?: string;
  /** Lower-cased entity the event must mention ($btc, #ai, …). */
  entity?: string;
}

export interface KeywordMatch {
  event: StoredEvent;
  /** BM25 score of the match (sum over matched query terms). */
  rank: number;
}

/** A query lexeme with its document frequency (exact up to the count bound, else estimated). */
export interface TermFrequency {
  lexeme: string;
  df: number;
}

/** What BM25 needs of the corpus besides term frequencies. */
export interface KeywordCorpusStats {
  /** Hot events (exact when small, the planner's estimate when large). */
  documents: number;
  /** Mean distinct lexemes per event (stop words excluded, as in text_tsv), over the newest events. */
  avgTokens: number;
  /** Document frequency of the common lexemes, from the planner's statistics (empty before ANALYZE). */
  commonTerms: ReadonlyMap<string, number>;
}

/** The keyword leg's plan (SearchService chooses terms and weights, see search/bm25.ts). */
export interface KeywordPlan {
  /** Chosen lexemes with their BM25 idf weights. */
  terms: { lexeme: string; idf: number }[];
  /** Lexemes rare enough that every event matching any of them is ranked. */
  rankAll: string[];
  /** Also walk this many more matches of any term, shortest first (common terms), 0 for none. */
  walkShortest: number;
  /** Walk the length index (matches are dense) rather than fetch every match and sort them. */
  walkLengthIndex: boolean;
  /** websearch_to_tsquery text every match must satisfy (phrases, exclusions), '' for none. */
  filter: string;
  k1: number;
  b: number;
  avgTokens: number;
}

/** A lexeme as a tsquery operand: quoted, so punctuation and operators inside stay literal. */
export const lexemeOperand = (l: string) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const orQuery = (lexemes: string[]) => lexemes.map(lexemeOperand).join(' | ');

/** How a batch claimed its rows (see Mover): the move lease, or FOR UPDATE SKIP LOCKED row locks. */
export type BatchClaim = 'lease' | 'row_locks';

/** Advisory lock key of the move lease: exclusive for a lone batch, shared by batches that claim with row locks. */
export const MOVE_LEASE_KEY = 0x5349_4654_4d4f_5645n; // "SIFTMOVE"

/** Serialises partition DDL between movers (any 64-bit constant unique to this use). */
export const PARTITION_LOCK_KEY = 0x5349_4654_5041_5254n; // "SIFTPART"

/** Partition DDL waits at most this long for its lock, so it never queues readers behind it for long. */
const DDL_LOCK_TIMEOUT = '3s';

const ARCHIVED_COLS = 'id, source, source_event_id, author, text, entities, lang, created_at, ingested_at';
/** Latest representable bigint: "no hot rows" means every hot vector is an orphan. */
const MAX_BIGINT = '9223372036854775807';
const bound = (day: string) => `'${day} 00:00:00+00'`;

export interface MoveBatchParams {
  hotWindowMs: number;
  batchSize: number;
  /** The previous batch's newest ingested_at (Postgres text): where this one starts. */
  after: string | null;
  archiveVectors: boolean;
  /** Test seam: runs before COMMIT with the batch's ids; throwing rolls the batch back. */
  beforeCommit?: (ctx: { ids: string[]; claim: BatchClaim; query: (sql: string, params?: unknown[]) => Promise<any[]> }) => Promise<void> | void;
}

export interface MovedBatch {
  moved: number;
  maxIngestedAt: string | null;
  /** Vectors that went with the batch (archived or deleted, by archiveVectors). */
  vectors: number;
  claim: BatchClaim;
}

@Injectable()
export class EventsRepository {
  /** Sources whose last batch held duplicates: they insert with ON CONFLICT until one has none. */
  private readonly replaying = new Set<string>();

  constructor(private readonly db: Db) {}

  // ---- relay: batch writes -------------------------------------------------------------------

  /**
   * Inserts a batch (duplicates dropped by the unique key) and advances the source cursor in the
   * same transaction, so a cursor never points past what is stored. Returns the rows that were new.
   */
  async writeBatch(source: string, events: SiftEvent[], cursor: string | undefined): Promise<StoredEvent[]> {
    return this.writeBatchAfter(source, events, cursor, undefined);
  }

  /**
   * writeBatch for a batch that follows another one whose cursor was `after` (undefined: none, or
   * already stored and nothing in between): fails with OUT_OF_TURN, writing nothing, unless that
   * batch has committed (see commitOrder).
   *
   * Exactly-once rests on the unique index either way: the fast path (plain INSERT) fails as a
   * whole on any duplicate, is rolled back, and the batch is written again with ON CONFLICT DO
   * NOTHING; that source then stays on ON CONFLICT until a batch comes back without duplicates,
   * so a replay costs one failed attempt, not one per batch.
   */
  async writeBatchAfter(source: string, events: SiftEvent[], cursor: string | undefined, after: string | undefined): Promise<StoredEvent[]> {
    const chained = after === undefined ? 0 : 1;
    if (!events.length) {
      if (cursor !== undefined) await this.db.query(CURSOR_ONLY[chained]!, chained ? [source, cursor, after] : [source, cursor]);
      return [];
    }
    const n = events.length;
    const sids = new Array<string>(n);
    const authors = new Array<string>(n);
    const texts = new Array<string>(n);
    const ents = new Array<string>(n);
    const langs = new Array<string | null>(n);
    const created = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      sids[i] = e.sourceEventId;
      authors[i] = e.author;
      texts[i] = e.text;
      ents[i] = pgTextArray(e.entities);
      langs[i] = e.lang ?? null;
      created[i] = e.createdAt.toISOString();
    }
    const params: unknown[] = [source, sids, authors, texts, ents, langs, created, cursor ?? null];
    if (chained) params.push(after);
    if (!this.replaying.has(source)) {
      try {
        return toStoredEvents(source, events, await this.insertTx(INSERT_NEW[chained], params));
      } catch (err) {
        if (sqlState(err) !== '23505') throw err;
        this.replaying.add(source);
      }
    }
    const rows = await this.insertTx(INSERT_SKIP_DUPES[chained], params);
    if (rows.length === n) this.replaying.delete(source);
    return toStoredEvents(source, events, rows);
  }

  /** The batch statement, in autocommit (one round trip writes and commits it). */
  private insertTx(sql: string, params: unknown[]): Promise<InsertedRow[]> {
    return this.db.query<InsertedRow>(sql, params);
  }


  // ---- api: listing, socket recovery, lookups ------------------------------------------------

  async list(f: EventFilter): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.source) add('e.source = ?', f.source);
    if (f.author) add('e.author = ?', f.author);
    if (f.entity) add('e.entities @> ARRAY[?]::text[]', f.entity);
    // Substring match, wildcards in the input taken literally. Unindexed, but rows are walked
    // newest first by id and the LIMIT stops the scan early when matches are common.
    if (f.contains) add("e.text ILIKE ? ESCAPE '\\'", `%${f.contains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.since) add('e.created_at >= ?', f.since);
    if (f.until) add('e.created_at < ?', f.until);
    if (f.beforeId) add('e.id < ?', f.beforeId);
    params.push(f.limit);
    const rows = await this.db.query(
      // events_all = hot ∪ archive: pages and time ranges continue past the hot window.
      `SELECT ${EVENT_COLUMNS} FROM events_all e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY e.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * Events after `afterId` matching any of `filters`, oldest first, ingested within the last
   * `windowMs`: what a reconnecting socket.io client missed. Batch commits are serialised, so
   * ids grow in commit order and "id > last seen" misses nothing.
   */
  async missedSince(afterId: string, filters: { source?: string; entity?: string; author?: string }[], windowMs: number, limit: number): Promise<StoredEvent[]> {
    if (!filters.length) return [];
    const params: unknown[] = [afterId, windowMs, limit];
    const ors = filters.map((f) => {
      const and: string[] = ['TRUE'];
      if (f.source !== undefined) and.push(`e.source = $${params.push(f.source)}`);
      if (f.author !== undefined) and.push(`e.author = $${params.push(f.author)}`);
      if (f.entity !== undefined) and.push(`e.entities @> ARRAY[$${params.push(f.entity)}]::text[]`);
      return `(${and.join(' AND ')})`;
    });
    const rows = await this.db.query(
      `SELECT ${EVENT_COLUMNS} FROM events e
       WHERE e.id > $1 AND e.ingested_at >= now() - make_interval(secs => $2::double precision / 1000) AND (${ors.join(' OR ')})
       ORDER BY e.id LIMIT $3`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  async byIds(ids: string[]): Promise<StoredEvent[]> {
    if (!ids.length) return [];
    const rows = await this.db.query(`SELECT ${EVENT_COLUMNS} FROM events_all e WHERE e.id = ANY($1::bigint[])`, [ids]);
    return rows.map(toStoredEvent);
  }


  // ---- search: keyword leg --------------------------------------------------------------------

  /**
   * Full-text matches ranked by ts_rank_cd. For a common term, only the newest `cap` matches (at
   * least `limit`) are ranked: found by walking the primary key backwards with the match as a
   * filter (~cap ÷ selectivity rows, read in order) instead of fetching every match through the
   * GIN index (random reads: a word in 7% of 1M posts took seconds). Rarer terms are ranked in
   * full, as the GIN path is then the cheaper one. The planner walks the key far too early (it
   * prices the filter too low: terms in 0.5% of rows read hundreds of thousands of rows), so the
   * choice is made here from its own match estimate.
   */
  /**
   * Distinct lexemes of `text` (english config, as text_tsv) in order of first appearance, at most
   * `max`, with document frequencies: from `known` (the planner's statistics, see
   * keywordCorpusStats) when there, else a count bounded at `countBound` (exact below it).
   */
  async keywordTermFrequencies(text: string, max: number, countBound: number, known: ReadonlyMap<string, number> = new Map()): Promise<TermFrequency[]> {
    const rows = await this.db.query<{ lexeme: string; df: string | null }>(
      `WITH lex AS (
         SELECT u.lexeme, min(p) AS first FROM unnest(to_tsvector('english', $1)) u, unnest(u.positions) p
         GROUP BY u.lexeme ORDER BY first LIMIT $2)
       SELECT l.lexeme,
              CASE WHEN l.lexeme = ANY($4::text[]) THEN NULL ELSE (SELECT count(*) FROM (
                SELECT 1 FROM events e
                WHERE e.text_tsv @@ ('''' || replace(replace(l.lexeme, '\', '\\'), '''', '''''') || '''')::tsquery
                LIMIT $3) x) END AS df
       FROM lex l ORDER BY l.first`,
      [text, max, countBound, [...known.keys()]],
    );
    return rows.map((r) => ({ lexeme: r.lexeme, df: r.df === null ? known.get(r.lexeme)! : Number(r.df) }));
  }

  /**
   * What BM25 needs of the corpus, cheap enough to refresh every few seconds: size (planner
   * estimate, or a count when small), mean distinct lexemes per event over the newest 2000, and
   * the planner's most-common-element frequencies of text_tsv (filled in by ANALYZE) as document
   * frequencies of the common lexemes.
   */
  async keywordCorpusStats(): Promise<KeywordCorpusStats> {
    const [r] = await this.db.query<{ documents: number; avg_tokens: number | null }>(
      `SELECT (SELECT CASE WHEN c.reltuples >= 50000 THEN c.reltuples ELSE (SELECT count(*) FROM events) END
               FROM pg_class c WHERE c.oid = 'events'::regclass)::float8 AS documents,
              (SELECT avg(length(t.text_tsv)) FROM (SELECT e.text_tsv FROM events e ORDER BY e.id DESC LIMIT 2000) t)::float8 AS avg_tokens`,
    );
    const documents = Number(r?.documents ?? 0);
    const mce = await this.db.query<{ lexeme: string; freq: number }>(
      `SELECT m.lexeme, m.freq::float8 AS freq FROM pg_stats s,
         unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lexeme, freq)
       WHERE s.schemaname = current_schema() AND s.tablename = 'events' AND s.attname = 'text_tsv' AND m.lexeme IS NOT NULL`,
    );
    const commonTerms = new Map(mce.map((m) => [m.lexeme, Math.max(1, Math.round(Number(m.freq) * documents))]));
    return { documents, avgTokens: Number(r?.avg_tokens ?? 0) || 1, commonTerms };
  }

  /**
   * Keyword leg: events matching any planned term (and the filter), ranked by BM25 over the
   * candidates — every match of the rare terms, plus the shortest `walkShortest` matches of any
   * term (on idx_events_tsv_length) when common terms have more matches than can be ranked.
   */
  async keywordMatches(plan: KeywordPlan, f: KeywordFilter, limit: number): Promise<KeywordMatch[]> {
    if (!plan.terms.length) return [];
    const params: unknown[] = [plan.terms.map((t) => t.lexeme), plan.terms.map((t) => t.idf)];
    const where: string[] = [];
    if (plan.filter) where.push(`e.text_tsv @@ websearch_to_tsquery('english', $${params.push(plan.filter)})`);
    if (f.since) where.push(`e.created_at >= $${params.push(f.since)}`);
    if (f.source) where.push(`e.source = $${params.push(f.source)}`);
    if (f.entity) where.push(`e.entities @> ARRAY[$${params.push(f.entity)}]::text[]`);
    const and = where.map((w) => ` AND ${w}`).join('');
    const branches: string[] = [];
    if (plan.rankAll.length) branches.push(`SELECT e.id FROM events e WHERE e.text_tsv @@ $${params.push(orQuery(plan.rankAll))}::tsquery${and}`);
    if (plan.walkShortest > 0) {
      branches.push(
        `(SELECT e.id FROM events e WHERE e.text_tsv @@ $${params.push(orQuery(plan.terms.map((t) => t.lexeme)))}::tsquery${and}
          ORDER BY length(e.text_tsv)${plan.walkLengthIndex ? '' : ' + 0'}, e.id LIMIT $${params.push(plan.walkShortest)})`,
      );
    }
    const k1 = `$${params.push(plan.k1)}::float8`;
    const b = `$${params.push(plan.b)}::float8`;
    const avg = `$${params.push(plan.avgTokens)}::float8`;
    // One hash join of the candidates' lexemes with the query terms, grouped per event (a
    // per-row subquery cost ~10× more). Length is distinct lexemes, as in avgTokens.
    const rows = await this.db.query(
      `WITH w AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS w(lexeme, idf)),
       cand AS (${branches.join(' UNION ')}),
       scored AS (
         SELECT e.id, sum(w.idf * t.tf * (${k1} + 1) / (t.tf + ${k1} * (1 - ${b} + ${b} * length(e.text_tsv) / ${avg}))) AS score
         FROM cand c JOIN events e ON e.id = c.id
         CROSS JOIN LATERAL (SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 AS tf FROM unnest(e.text_tsv) u) t
         JOIN w ON w.lexeme = t.lexeme
         GROUP BY e.id
         ORDER BY score DESC, e.id DESC LIMIT $${params.push(limit)})
       SELECT ${EVENT_COLUMNS}, s.score AS rank FROM scored s JOIN events e ON e.id = s.id
       ORDER BY s.score DESC, e.id DESC`,
      params,
    );
    return rows.map((r) => ({ event: toStoredEvent(r), rank: Number(r.rank) }));
  }

  // ---- embeddings: work lists over hot events ------------------------------------------------

  /** Of `ids`, the hot events that still lack a vector from `modelId`, with their text. */
  textsWithoutVector(modelId: string, ids: string[]): Promise<{ id: string; text: string }[]> {
    return this.db.query(
      `SELECT e.id::text AS id, e.text FROM events e
       WHERE e.id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM embeddings m WHERE m.event_id = e.id AND m.model_id = $2)
       ORDER BY e.id`,
      [ids, modelId],
    );
  }

  /** Oldest-first ids of hot events with no vector from `modelId` and not parked as failed. */
  async idsWithoutVector(modelId: string, limit: number, afterId = '0'): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT e.id::text AS id FROM events e
       WHERE e.id > $3 AND NOT EXISTS (SELECT 1 FROM embeddings m WHERE m.event_id = e.id AND m.model_id = $1)
         AND NOT EXISTS (SELECT 1 FROM embedding_failures f WHERE f.event_id = e.id AND f.model_id = $1)
       ORDER BY e.id LIMIT $2`,
      [modelId, limit, afterId],
    );
    return rows.map((r) => r.id);
  }

  /** Share of hot events that have a vector from `modelId` (1 when there are no events). */
  async vectorCoverage(modelId: string): Promise<number> {
    const [r] = await this.db.query<{ total: number; covered: number }>(
      `SELECT (SELECT count(*) FROM events)::float8 AS total,
              (SELECT count(*) FROM embeddings m JOIN events e ON e.id = m.event_id WHERE m.model_id = $1)::float8 AS covered`,
      [modelId],
    );
    return r!.total > 0 ? Math.min(1, r!.covered / r!.total) : 1;
  }

  // ---- mover: hot → archive tiering and retention -----------------------------------------------

  /**
   * Moves up to batchSize rows past the hot window, with their vectors, in one transaction of one
   * statement (see Mover for how a batch claims its rows).
   */
  async moveBatch(p: MoveBatchParams): Promise<MovedBatch> {
    const { after } = p;
    // BEGIN and its settings in one round trip. Async commit: a batch is atomic either way; it
    // only means a server crash in the next few hundred ms may undo a committed batch (its rows
    // are then hot again, still in one tier), and it spares one WAL flush per batch. No
    // sequential scan: the move fetches each claimed row by its address (TID scan), never by
    // scanning the hot table. The batch statement is prepared once per connection and its
    // generic plan reused: planning it (CTEs, the partitioned archive) cost a few ms a batch, as
    // much as moving 500 rows. The same round trip asks for the move lease: a batch that does not
    // get it waits for the lease holder's batch to end, then claims with row locks beside any
    // other such batch.
    const begin = `BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_generic_plan;
         SELECT pg_try_advisory_xact_lock(${MOVE_LEASE_KEY}) AS lease`;
    return this.db.withTransaction(async (client, begun) => {
      const claim: BatchClaim = begun[0]!.lease ? 'lease' : 'row_locks';
      if (claim === 'row_locks') await client.query(`SELECT pg_advisory_xact_lock_shared(${MOVE_LEASE_KEY})`);
      // Claim, copy and delete in one statement, so until COMMIT no other session sees any of
      // it; their vectors follow the same way, and nothing but the batch's bounds travels to the
      // client. The claim picks the oldest rows past the window.
      // - With the lease no other batch runs and stored events never change, so the rows read
      //   are exactly the rows to move: copy them, delete them by address.
      // - Without it, batches beside each other claim FOR UPDATE SKIP LOCKED (rows another batch
      //   holds are that batch's); the DELETE removes exactly the locked rows by address and
      //   hands them, via RETURNING, to the archive insert.
      const variant = `${claim === 'lease' ? 'l' : 'r'}${after ? 'a' : ''}${p.archiveVectors ? 'v' : ''}${p.beforeCommit ? 'h' : ''}`;
      const oldest = `FROM events
                WHERE ingested_at < now() - make_interval(secs => $1::double precision)
                  ${after ? 'AND ingested_at >= $3::timestamptz' : ''}
                ORDER BY ingested_at
                LIMIT $2`;
      const [moved] = await client.query<{ n: number; ids: string; max: string | null; vectors: number }>({
        name: `sift_mover_batch_${variant}`,
        text: `WITH ${
          claim === 'lease'
            ? `moved AS MATERIALIZED (
             SELECT ctid AS address, ${ARCHIVED_COLS} ${oldest}
           ), deleted AS (
             DELETE FROM events WHERE ctid = ANY(ARRAY(SELECT address FROM moved))`
            : `moved AS (
             DELETE FROM events WHERE ctid = ANY(ARRAY(SELECT ctid ${oldest} FOR UPDATE SKIP LOCKED))
             RETURNING ${ARCHIVED_COLS}`
        }
           ), archived AS (
             INSERT INTO events_archive (${ARCHIVED_COLS}) SELECT ${ARCHIVED_COLS} FROM moved
           ), batch AS (
             SELECT count(*)::int AS n, min(id) AS lo, max(id) AS hi, max(ingested_at)::text AS max,
                    ${p.beforeCommit ? `coalesce(array_agg(id), '{}')::text` : `''`} AS ids
               FROM moved
           ), vectors AS (
             -- Gated on one index probe over the batch's id range (scalar bounds, so it is a
             -- range scan of the embeddings key): a batch without vectors (embeddings off, or
             -- not embedded yet) skips a probe per row.
             DELETE FROM embeddings m USING moved e
              WHERE m.event_id = e.id
                AND EXISTS (SELECT 1 FROM embeddings WHERE event_id BETWEEN (SELECT lo FROM batch) AND (SELECT hi FROM batch))
             RETURNING m.event_id, m.model_id, m.embedding, m.created_at, e.ingested_at
           )${
             p.archiveVectors
               ? `, vectors_archived AS (
             INSERT INTO embeddings_archive (event_id, model_id, embedding, created_at, event_ingested_at)
             SELECT * FROM vectors
           )`
               : ''
           }
           SELECT n, max, ids, (SELECT count(*) FROM vectors)::int AS vectors
             FROM batch`,
        values: after ? [p.hotWindowMs / 1000, p.batchSize, after] : [p.hotWindowMs / 1000, p.batchSize],
      });
      const n = moved!.n;
      if (n && p.beforeCommit) await p.beforeCommit({ ids: moved!.ids.slice(1, -1).split(','), query: (sql, params) => client.query(sql, params), claim });
      return { moved: n, maxIngestedAt: n ? moved!.max : null, vectors: n ? moved!.vectors : 0, claim };
    }, begin);
  }

  /**
   * An embedding job that read an event just before it moved can write its vector just after:
   * that vector is an orphan in the hot table. Every hot vector whose event id is below the
   * smallest hot event id is one (events are never re-inserted), and a range scan of the
   * embeddings key finds them; archived or deleted like the others. Eventually exact: an orphan
   * above the smallest hot id is caught once the rows below it have moved too.
   */
  async sweepOrphanVectors(archiveVectors: boolean): Promise<{ archived: number; deleted: number }> {
    const below = `(SELECT coalesce(min(id), ${MAX_BIGINT}) FROM events)`;
    if (archiveVectors) {
      const [r] = await this.db.query(
        `WITH d AS (DELETE FROM embeddings WHERE event_id < ${below} RETURNING event_id, model_id, embedding, created_at),
              i AS (
                INSERT INTO embeddings_archive (event_id, model_id, embedding, created_at, event_ingested_at)
                SELECT d.event_id, d.model_id, d.embedding, d.created_at, a.ingested_at
                  FROM d JOIN events_archive a ON a.id = d.event_id
                ON CONFLICT DO NOTHING
                RETURNING 1)
         SELECT (SELECT count(*) FROM i)::int AS archived, (SELECT count(*) FROM d)::int AS total`,
      );
      return { archived: r.archived, deleted: r.total - r.archived };
    }
    const [r] = await this.db.query(`WITH d AS (DELETE FROM embeddings WHERE event_id < ${below} RETURNING 1) SELECT count(*)::int AS n FROM d`);
    return { archived: 0, deleted: r.n };
  }

  /** The archive's day partitions that exist now, read from the catalog (no cache to go stale or grow). */
  async listArchivePartitions(q: Sql = this.db): Promise<ArchivePartition[]> {
    const rows = await q.query<{ parent: ArchiveParent; name: string }>(
      `SELECT p.relname AS parent, c.relname AS name
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relnamespace = to_regnamespace(current_schema())
          AND p.relname = ANY($1::text[])
          AND c.relname ~ '_p[0-9]{8}$'`,
      [ARCHIVE_TABLES.map((t) => t.parent)],
    );
    return rows.map((r) => {
      const d = r.name.slice(-8);
      return { parent: r.parent, name: r.name, day: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` };
    });
  }

  /** Today (UTC) by the database clock, and the day of the oldest hot row. */
  async databaseDays(): Promise<{ today: string; oldestHot: string | null }> {
    const [r] = await this.db.query(
      `SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today,
              to_char(((SELECT min(ingested_at) FROM events) AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS "oldestHot"`,
    );
    return r as { today: string; oldestHot: string | null };
  }

  /**
   * Creates the day partition of every archive table for `day`, if missing. Rows of that day that
   * already sit in the default partition (a day that had no partition yet) are moved into the new
   * one in the same transaction, since Postgres refuses a partition whose rows are in the default.
   * Returns the partitions it created.
   */
  async createArchiveDayPartitions(day: string): Promise<string[]> {
    if (!DAY.test(day)) throw new Error(`bad day ${day}`);
    return this.inDdlTransaction(async (q) => {
      const created: string[] = [];
      const existing = new Set((await this.listArchivePartitions(q)).map((p) => p.name));
      for (const { parent, key } of ARCHIVE_TABLES) {
        const name = partitionName(parent, day);
        if (existing.has(name)) continue;
        const range = `"${key}" >= ${bound(day)} AND "${key}" < ${bound(addDays(day, 1))}`;
        const [{ stray }] = await q.query(`SELECT EXISTS (SELECT 1 FROM "${parent}_default" WHERE ${range}) AS stray`);
        if (stray) {
          await q.query(`CREATE TEMP TABLE sift_relocate (LIKE "${parent}") ON COMMIT DROP`);
          await q.query(`WITH d AS (DELETE FROM "${parent}_default" WHERE ${range} RETURNING *) INSERT INTO sift_relocate SELECT * FROM d`);
        }
        await q.query(`CREATE TABLE "${name}" PARTITION OF "${parent}" FOR VALUES FROM (${bound(day)}) TO (${bound(addDays(day, 1))})`);
        if (stray) {
          await q.query(`INSERT INTO "${parent}" SELECT * FROM sift_relocate`);
          await q.query(`DROP TABLE sift_relocate`);
        }
        created.push(name);
      }
      return created;
    });
  }

  /** Drops whole day partitions (of every archive table) for days before `cutoffDay`. */
  async dropArchivePartitionsBefore(cutoffDay: string): Promise<string[]> {
    const doomed = (await this.listArchivePartitions()).filter((p) => p.day < cutoffDay);
    const dropped: string[] = [];
    for (const p of doomed) {
      // One short transaction per partition: DROP takes an exclusive lock on the parent.
      await this.inDdlTransaction((q) => q.query(`DROP TABLE IF EXISTS "${p.name}"`));
      dropped.push(p.name);
    }
    return dropped;
  }

  /** Archive rows ingested before `cutoff` removed from the default partitions, and what is left there. */
  async purgeArchiveDefaults(cutoff: string): Promise<{ events: number; vectors: number; remaining: number }> {
    const [r] = await this.db.query(
      `WITH a AS (DELETE FROM events_archive_default WHERE ingested_at < $1::timestamptz RETURNING 1),
            b AS (DELETE FROM embeddings_archive_default WHERE event_ingested_at < $1::timestamptz RETURNING 1)
       SELECT (SELECT count(*) FROM a)::int AS events, (SELECT count(*) FROM b)::int AS vectors,
              (SELECT count(*) FROM events_archive_default)::int AS remaining`,
      [cutoff],
    );
    return r as { events: number; vectors: number; remaining: number };
  }

  /** Dead and live tuples of the hot table, from the statistics collector. */
  async hotTableTuples(): Promise<{ dead: number; live: number }> {
    const [s] = await this.db.query<{ dead: string; live: string }>(
      `SELECT n_dead_tup AS dead, n_live_tup AS live FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'events'`,
    );
    return { dead: Number(s?.dead ?? 0), live: Number(s?.live ?? 0) };
  }

  /**
   * VACUUM of the hot table. SKIP_LOCKED: never waits behind a conflicting lock; no statement
   * timeout: a big table may take a while. The connection is reset after, or destroyed if it
   * failed (its statement_timeout may still be 0).
   */
  async vacuumHotTable(): Promise<void> {
    await this.db.withClient(async (c) => {
      await c.query('SET statement_timeout = 0');
      await c.query(`VACUUM (SKIP_LOCKED) events`);
      await c.query('RESET statement_timeout');
    });
  }

  /** Age of the oldest hot row (database clock), looking from `from` (ingested_at text) when given. */
  async oldestHotAgeSeconds(from: string | null): Promise<number | null> {
    const [r] = from
      ? await this.db.query(`SELECT extract(epoch FROM now() - min(ingested_at))::float8 AS age FROM events WHERE ingested_at >= $1::timestamptz`, [from])
      : await this.db.query(`SELECT extract(epoch FROM now() - min(ingested_at))::float8 AS age FROM events`);
    return r.age === null ? null : Number(r.age);
  }

  /** Partition DDL: short lock timeout, serialised between movers by an advisory lock. */
  private inDdlTransaction<T>(fn: (q: DbClient) => Promise<T>): Promise<T> {
    return this.db.withTransaction(async (q) => {
      await q.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      await q.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY.toString()]);
      return fn(q);
    });
  }
}
