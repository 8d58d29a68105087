import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { SiftEvent } from '../../libs/contracts/event.js';
import { createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import pg from 'pg';
import { COMMIT_ORDER_LOCK, EventsRepository, OUT_OF_TURN, toStoredEvents } from '../../src/events/events.repository.js';
import { eventsRepo, relayRepo } from '../support/repos.js';
import { MIGRATIONS } from '../../src/schema.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

const ev = (sid: string, extra: Partial<SiftEvent> = {}): SiftEvent => ({
  source: 's',
  sourceEventId: sid,
  author: `did:plc:${sid}`,
  text: `text of ${sid} #tag`,
  entities: ['#tag'],
  createdAt: new Date('2025-06-01T12:00:00.000Z'),
  ...extra,
});

describe('toStoredEvents', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');
  const events = [ev('a'), ev('b'), ev('c'), ev('d')];

  it('maps rows in batch order, skipping events that were not inserted', () => {
    const out = toStoredEvents('s', events, [
      { id: '1', source_event_id: 'a', ingested_at: at },
      { id: '2', source_event_id: 'c', ingested_at: at },
    ]);
    expect(out).toEqual([
      { id: '1', source: 's', sourceEventId: 'a', author: 'did:plc:a', text: 'text of a #tag', entities: ['#tag'], createdAt: '2025-06-01T12:00:00.000Z', ingestedAt: at.toISOString() },
      { id: '2', source: 's', sourceEventId: 'c', author: 'did:plc:c', text: 'text of c #tag', entities: ['#tag'], createdAt: '2025-06-01T12:00:00.000Z', ingestedAt: at.toISOString() },
    ]);
  });

  it('maps rows that come back out of batch order by source event id', () => {
    const later = new Date(at.getTime() + 1);
    const out = toStoredEvents('s', events, [
      { id: '9', source_event_id: 'd', ingested_at: at },
      { id: '7', source_event_id: 'b', ingested_at: later },
      { id: '8', source_event_id: 'a', ingested_at: at.toISOString() },
    ]);
    expect(out.map((e) => [e.id, e.sourceEventId, e.author, e.ingestedAt])).toEqual([
      ['9', 'd', 'did:plc:d', at.toISOString()],
      ['7', 'b', 'did:plc:b', later.toISOString()],
      ['8', 'a', 'did:plc:a', at.toISOString()],
    ]);
  });

  it('takes the first of a repeated source event id, the one the insert keeps', () => {
    const dup = [ev('x', { text: 'first' }), ev('x', { text: 'second' })];
    expect(toStoredEvents('s', dup, [{ id: '1', source_event_id: 'x', ingested_at: at }])[0]!.text).toBe('first');
    const reordered = [ev('y'), ...dup];
    const out = toStoredEvents('s', reordered, [
      { id: '2', source_event_id: 'x', ingested_at: at },
      { id: '1', source_event_id: 'y', ingested_at: at },
    ]);
    expect(out.map((e) => e.text)).toEqual(['first', 'text of y #tag']);
  });

  it('refuses a row that is not in the batch', () => {
    expect(() => toStoredEvents('s', events, [{ id: '1', source_event_id: 'zz', ingested_at: at }])).toThrow(/not in the batch/);
  });
});

describe('EventsRepository.writeBatch (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let store: EventsRepository;
  const sql = <T = any>(text: string, params: unknown[] = []) => query<T>(db.url, text, params);

  beforeAll(async () => {
    db = await createTestDatabase('sift_unit_store');
    ds = createDataSource({ url: db.url, migrations: MIGRATIONS, poolMax: 3 });
    await ds.initialize();
    await runMigrationsLocked(ds);
    store = eventsRepo(ds);
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('stores a new batch, returns every row with its id, and commits the cursor with it', async () => {
    const batch = [ev('n1', { cursor: '10', lang: 'en' }), ev('n2', { cursor: '11', entities: ['say "hi"', 'back\\slash'] })];
    const out = await store.writeBatch('fresh', batch, '11');
    expect(out.map((e) => e.sourceEventId)).toEqual(['n1', 'n2']);
    const rows = await sql(`SELECT id::text AS id, source_event_id, lang, entities, ingested_at FROM events WHERE source = 'fresh' ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(out.map((e) => e.id));
    expect(rows.map((r) => r.entities)).toEqual([['#tag'], ['say "hi"', 'back\\slash']]);
    expect(rows[0].lang).toBe('en');
    expect(out[0]!.ingestedAt).toBe(new Date(rows[0].ingested_at).toISOString());
    expect(await sql(`SELECT cursor FROM source_cursors WHERE source = 'fresh'`)).toEqual([{ cursor: '11' }]);
    expect(await relayRepo(ds).cursor('fresh')).toBe('11');
  });

  it('a batch with stored and repeated keys stores only the new rows, once, and returns exactly those', async () => {
    await store.writeBatch('rep', [ev('r1'), ev('r2')], '2');
    // r2 is stored already, r3 appears twice in the batch: the fast path fails, ON CONFLICT takes over.
    const out = await store.writeBatch('rep', [ev('r2'), ev('r3', { text: 'first r3' }), ev('r3', { text: 'second r3' }), ev('r4')], '4');
    expect(out.map((e) => [e.sourceEventId, e.text])).toEqual([
      ['r3', 'first r3'],
      ['r4', 'text of r4 #tag'],
    ]);
    expect(await sql(`SELECT source_event_id, text FROM events WHERE source = 'rep' ORDER BY id`)).toEqual([
      { source_event_id: 'r1', text: 'text of r1 #tag' },
      { source_event_id: 'r2', text: 'text of r2 #tag' },
      { source_event_id: 'r3', text: 'first r3' },
      { source_event_id: 'r4', text: 'text of r4 #tag' },
    ]);
    expect(await relayRepo(ds).cursor('rep')).toBe('4');
    // Entity counts (the insert trigger) saw each stored row once, not the rolled-back attempt.
    expect(await sql(`SELECT sum(count)::int AS n FROM entity_counts WHERE source = 'rep'`)).toEqual([{ n: 4 }]);
    // All duplicates, then new rows again (back on the fast path): nothing lost, nothing twice.
    expect(await store.writeBatch('rep', [ev('r1'), ev('r4')], '5')).toEqual([]);
    expect((await store.writeBatch('rep', [ev('r5'), ev('r6')], '6')).map((e) => e.sourceEventId)).toEqual(['r5', 'r6']);
    expect((await store.writeBatch('rep', [ev('r7')], '7')).map((e) => e.sourceEventId)).toEqual(['r7']);
    const [{ n, d }] = await sql(`SELECT count(*)::int AS n, count(DISTINCT source_event_id)::int AS d FROM events WHERE source = 'rep'`);
    expect([n, d]).toEqual([7, 7]);
    expect(await relayRepo(ds).cursor('rep')).toBe('7');
  });

  it('a failed batch leaves neither rows nor cursor behind', async () => {
    await expect(store.writeBatch('bad', [ev('b1'), ev('b2', { text: 'nul \u0000 here' })], '99')).rejects.toMatchObject({ code: '22021' });
    expect(await sql(`SELECT count(*)::int AS n FROM events WHERE source = 'bad'`)).toEqual([{ n: 0 }]);
    expect(await relayRepo(ds).cursor('bad')).toBeUndefined();
    // The pooled connection is usable afterwards (the transaction was rolled back).
    expect((await store.writeBatch('bad', [ev('b1')], '100')).map((e) => e.sourceEventId)).toEqual(['b1']);
  });

  it('an empty batch only advances the cursor', async () => {
    expect(await store.writeBatch('empty', [], '5')).toEqual([]);
    expect(await relayRepo(ds).cursor('empty')).toBe('5');
    expect(await store.writeBatch('empty', [], undefined)).toEqual([]);
    expect(await relayRepo(ds).cursor('empty')).toBe('5');
  });

  it('takes the commit-order lock before drawing any id, and holds it until the batch commits', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      const seqOf = async () => (await sql(`SELECT last_value::text AS v, is_called FROM ${(await sql(`SELECT pg_get_serial_sequence('events', 'id') AS s`))[0].s}`))[0];
      await holder.query(`SELECT pg_advisory_lock(${COMMIT_ORDER_LOCK})`);
      const before = await seqOf();
      let settled = false;
      const write = store.writeBatch('locked', [ev('l1'), ev('l2')], '2').finally(() => (settled = true));
      // The batch is waiting on the lock (its backend says so), and has drawn no id yet.
      await waitFor('batch waits on the advisory lock', async () =>
        (await sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`))[0].n === 1,
      );
      expect(settled).toBe(false);
      expect(await seqOf()).toEqual(before);
      expect(await sql(`SELECT count(*)::int AS n FROM events WHERE source = 'locked'`)).toEqual([{ n: 0 }]);
      await holder.query(`SELECT pg_advisory_unlock(${COMMIT_ORDER_LOCK})`);
      expect((await write).map((e) => e.sourceEventId)).toEqual(['l1', 'l2']);
      expect(await relayRepo(ds).cursor('locked')).toBe('2');
    } finally {
      await holder.end();
    }
  });

  describe('a batch that follows one still in flight (writeBatchAfter)', () => {
    it('moves the cursor once the batch before it has committed, even if that commit lands while it waits', async () => {
      await store.writeBatch('chain', [ev('c1')], '10');
      // The batch before: another session holds the commit-order lock, inserts its row and
      // moves the cursor to 20, uncommitted, while the follower is sent.
      const before = new pg.Client({ connectionString: db.url });
      await before.connect();
      try {
        await before.query('BEGIN');
        await before.query(`SELECT pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`);
        await before.query(`UPDATE source_cursors SET cursor = '20' WHERE source = 'chain'`);
        const follower = store.writeBatchAfter('chain', [ev('c3')], '30', '20');
        await waitFor('follower waits on the lock', async () =>
          (await sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`))[0].n === 1,
        );
        await before.query('COMMIT');
        expect((await follower).map((e) => e.sourceEventId)).toEqual(['c3']);
        expect(await relayRepo(ds).cursor('chain')).toBe('30');
      } finally {
        await before.end();
      }
    });

    it('refuses, before drawing any id, a batch whose predecessor has not committed; sent again in turn it is stored', async () => {
      await store.writeBatch('broken', [ev('k1')], '10');
      const seq = (await sql(`SELECT pg_get_serial_sequence('events', 'id') AS s`))[0].s;
      const before = (await sql(`SELECT last_value::text AS v FROM ${seq}`))[0].v;
      // The batch before (cursor 20) has not committed (it is behind, or failed).
      await expect(store.writeBatchAfter('broken', [ev('k3')], '30', '20')).rejects.toMatchObject({ code: OUT_OF_TURN, message: expect.stringMatching(/out of turn: source broken has cursor 10, this batch follows 20/) });
      expect(await sql(`SELECT source_event_id FROM events WHERE source = 'broken' ORDER BY id`)).toEqual([{ source_event_id: 'k1' }]);
      expect((await sql(`SELECT last_value::text AS v FROM ${seq}`))[0].v).toBe(before);
      expect(await relayRepo(ds).cursor('broken')).toBe('10');
      // In turn: the batch before, then this one.
      expect(await store.writeBatchAfter('broken', [ev('k2')], '20', undefined)).toMatchObject([{ sourceEventId: 'k2' }]);
      expect(await relayRepo(ds).cursor('broken')).toBe('20');
      expect(await store.writeBatchAfter('broken', [ev('k3')], '30', '20')).toMatchObject([{ sourceEventId: 'k3' }]);
      expect((await sql(`SELECT source_event_id FROM events WHERE source = 'broken' ORDER BY id`)).map((r) => r.source_event_id)).toEqual(['k1', 'k2', 'k3']);
      expect(await relayRepo(ds).cursor('broken')).toBe('30');
      // Cursor order is numeric for numeric cursors: '100' is past '30' (as text it is not); a
      // cursor-only write takes its turn the same way.
      expect(await store.writeBatchAfter('broken', [], '100', '30')).toEqual([]);
      expect(await relayRepo(ds).cursor('broken')).toBe('100');
      await expect(store.writeBatchAfter('broken', [], '200', '1000')).rejects.toMatchObject({ code: OUT_OF_TURN });
      expect(await relayRepo(ds).cursor('broken')).toBe('100');
    });
  });

  it('ids of consecutive batches increase in commit order', async () => {
    const a = await store.writeBatch('order', [ev('o1'), ev('o2')], '1');
    const b = await store.writeBatch('order', [ev('o3')], '2');
    const ids = [...a, ...b].map((e) => BigInt(e.id));
    expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
  });
});
