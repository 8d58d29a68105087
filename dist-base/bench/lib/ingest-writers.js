import { COMMIT_ORDER_LOCK, pgTextArray } from '../../src/events/events.repository.js';
import { copyFrom, encodeCopyText } from './pg-copy.js';
import { toStoredEvents } from '../../src/events/events.repository.js';
import { Db } from '../../libs/database/index.js';
const CURSOR_UPSERT = `INSERT INTO source_cursors (source, cursor) VALUES ($1, $2)
  ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;
/**
 * Runs `fn` in a transaction on one raw pg client borrowed from the data source's pool, holding
 * the relay's commit-order lock unless `ordered` is false.
 */
async function withClient(ds, fn, ordered = true) {
    return Db.of(ds).withRawClient(async (client) => {
        await client.query('BEGIN');
        try {
            if (ordered)
                await client.query(`SELECT pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`);
            const out = await fn(client);
            await client.query('COMMIT');
            return out;
        }
        catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
        }
    });
}
const staged = new WeakSet();
/**
 * COPY the batch into a session temp table, then one INSERT … SELECT … ON CONFLICT DO NOTHING
 * RETURNING into events: tests whether getting rows to the server through COPY's parser instead of
 * five text[] parameters (array_in over every text, a per-row `ents::text[]` cast) pays. Measured:
 * it does not; the server's cost is in the INSERT executor and the indexes, not in the parameters.
 */
const copyStaging = (ds, source, events, cursor) => withClient(ds, async (c) => {
    if (!staged.has(c)) {
        await c.query(`CREATE TEMP TABLE IF NOT EXISTS relay_stage (sid text, author text, text text, ents text[], lang text, created_at timestamptz) ON COMMIT DELETE ROWS`);
        staged.add(c);
    }
    await copyFrom(c, `COPY relay_stage FROM STDIN`, encodeCopyText(events.map((e) => [e.sourceEventId, e.author, e.text, pgTextArray(e.entities), e.lang ?? null, e.createdAt.toISOString()])));
    const { rows } = await c.query(`INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
       SELECT $1, sid, author, text, ents, lang, created_at FROM relay_stage
       ON CONFLICT (source, source_event_id) DO NOTHING
       RETURNING id::text AS id, source_event_id, ingested_at`, [source]);
    if (cursor !== undefined)
        await c.query(CURSOR_UPSERT, [source, cursor]);
    return toStoredEvents(source, events, rows);
});
const UNNEST_INSERT = `INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
  SELECT $1, sid, author, text, ents::text[], lang, created_at
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
    AS t(sid, author, text, ents, lang, created_at)
  ON CONFLICT (source, source_event_id) DO NOTHING
  RETURNING id::text AS id, source_event_id, ingested_at`;
const unnestParams = (source, events) => [
    source,
    events.map((e) => e.sourceEventId),
    events.map((e) => e.author),
    events.map((e) => e.text),
    events.map((e) => pgTextArray(e.entities)),
    events.map((e) => e.lang ?? null),
    events.map((e) => e.createdAt.toISOString()),
];
/**
 * EventsRepository.writeBatch's exact SQL on a raw pg client (BEGIN/lock/INSERT/cursor/COMMIT), optionally
 * with `SET LOCAL synchronous_commit = off`: isolates TypeORM's transaction wrapper and the
 * commit's WAL flush.
 */
const unnest = (asyncCommit) => (ds, source, events, cursor) => withClient(ds, async (c) => {
    if (asyncCommit)
        await c.query(`SET LOCAL synchronous_commit = off`);
    const { rows } = await c.query(UNNEST_INSERT, unnestParams(source, events));
    if (cursor !== undefined)
        await c.query(CURSOR_UPSERT, [source, cursor]);
    return toStoredEvents(source, events, rows);
});
const PLAIN_INSERT = UNNEST_INSERT.replace('ON CONFLICT (source, source_event_id) DO NOTHING', '');
/**
 * Plain INSERT (no ON CONFLICT) on the fast path; only if that hits a unique violation (a replayed
 * overlap after a resume, a duplicate from the source) is the batch redone with ON CONFLICT DO
 * NOTHING. Saves the speculative-insertion work on the unique index for every row of every
 * batch that has no duplicates, which is nearly all of them.
 */
const fastPathInsert = async (c, source, events) => {
    await c.query('SAVEPOINT fast');
    try {
        const { rows } = await c.query(PLAIN_INSERT, unnestParams(source, events));
        await c.query('RELEASE SAVEPOINT fast');
        return rows;
    }
    catch (err) {
        if (err.code !== '23505')
            throw err;
        await c.query('ROLLBACK TO SAVEPOINT fast');
        return (await c.query(UNNEST_INSERT, unnestParams(source, events))).rows;
    }
};
const fastPath = (ds, source, events, cursor) => withClient(ds, async (c) => {
    const rows = await fastPathInsert(c, source, events);
    if (cursor !== undefined)
        await c.query(CURSOR_UPSERT, [source, cursor]);
    return toStoredEvents(source, events, rows);
});
/**
 * COPY straight into events on the fast path (for this table COPY costs the server ~33 µs of CPU
 * per row against ~41 µs for INSERT … SELECT, ~46 µs with ON CONFLICT + RETURNING), then one indexed lookup for the new ids (COPY has no
 * RETURNING; the identity is GENERATED ALWAYS so ids cannot be assigned up front). A unique
 * violation (replayed overlap) rolls back to the savepoint and redoes the batch with the
 * ON CONFLICT insert.
 */
const copyFastPathInsert = async (c, source, events) => {
    await c.query('SAVEPOINT fast');
    try {
        await copyFrom(c, `COPY events (source, source_event_id, author, text, entities, lang, created_at) FROM STDIN`, encodeCopyText(events.map((e) => [source, e.sourceEventId, e.author, e.text, pgTextArray(e.entities), e.lang ?? null, e.createdAt.toISOString()])));
        await c.query('RELEASE SAVEPOINT fast');
    }
    catch (err) {
        if (err.code !== '23505')
            throw err;
        await c.query('ROLLBACK TO SAVEPOINT fast');
        return (await c.query(UNNEST_INSERT, unnestParams(source, events))).rows;
    }
    const { rows } = await c.query(`SELECT id::text AS id, source_event_id, ingested_at FROM events WHERE source = $1 AND source_event_id = ANY($2::text[])`, [source, events.map((e) => e.sourceEventId)]);
    return rows;
};
const copyFastPath = (ds, source, events, cursor) => withClient(ds, async (c) => {
    const rows = await copyFastPathInsert(c, source, events);
    if (cursor !== undefined)
        await c.query(CURSOR_UPSERT, [source, cursor]);
    return toStoredEvents(source, events, rows);
});
/**
 * The batch split in `k` parts written concurrently, each in its own transaction on its own
 * connection; the cursor is advanced (separately) only once every part has committed, so it never
 * points past what is stored. Stands in for "k batches in flight per source" in the pipeline,
 * which would let Postgres use more than one core for one source. It does not take the
 * commit-order lock (with it, the parts would simply queue). (Prototype caveat: if one part
 * fails after another committed, the retry dedupes the committed rows and so does not report them
 * to onStored; a real implementation tracks per-batch completion instead.)
 */
const parallel = (k, mode) => async (ds, source, events, cursor) => {
    const size = Math.ceil(events.length / k);
    const parts = [];
    for (let i = 0; i < events.length; i += size)
        parts.push(events.slice(i, i + size));
    const settled = await Promise.allSettled(parts.map((part) => withClient(ds, async (c) => toStoredEvents(source, part, mode === 'copy'
        ? await copyFastPathInsert(c, source, part)
        : mode === 'fast'
            ? await fastPathInsert(c, source, part)
            : (await c.query(UNNEST_INSERT, unnestParams(source, part))).rows), false)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
    if (cursor !== undefined)
        await ds.query(CURSOR_UPSERT, [source, cursor]);
    return settled.flatMap((r) => r.value);
};
/**
 * EventsRepository.writeBatch as it was before the fast path: TypeORM transaction, lock, INSERT … ON
 * CONFLICT DO NOTHING RETURNING, then the cursor upsert (five round trips). The before/after
 * reference in one run.
 */
const onConflictTypeorm = (ds, source, events, cursor) => ds.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`);
    const rows = await m.query(UNNEST_INSERT, unnestParams(source, events));
    if (cursor !== undefined)
        await m.query(CURSOR_UPSERT, [source, cursor]);
    return toStoredEvents(source, events, rows);
});
export const WRITERS = {
    /** EventsRepository.writeBatch as it is in src/ (handled by the caller via super). */
    current: (() => {
        throw new Error('current is EventsRepository.writeBatch itself');
    }),
    'on-conflict-typeorm': onConflictTypeorm,
    'unnest-raw-pg': unnest(false),
    'unnest-async-commit': unnest(true),
    'copy-staging': copyStaging,
    'fast-path-insert': fastPath,
    'copy-fast-path': copyFastPath,
    'parallel-2': parallel(2, 'conflict'),
    'parallel-2-fast-path': parallel(2, 'fast'),
    'parallel-2-copy-fast-path': parallel(2, 'copy'),
};
//# sourceMappingURL=ingest-writers.js.map