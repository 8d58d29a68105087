import 'reflect-metadata';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import { EVENT_COLUMNS, toStoredEvent } from '../../src/events/events.repository.js';
import { eventsRepo } from '../support/repos.js';
import { Db } from '../../libs/database/index.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { MOVE_LEASE_KEY, Mover, type BatchClaim, type MoveRunReport, type MoverHooks, type MoverOptions } from '../../src/mover/mover.js';
import { moverMetrics } from '../../src/mover/mover.metrics.js';
import { MOVER_QUEUE } from '../../src/mover/mover.processor.js';
import { MIGRATIONS } from '../../src/schema.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { waitFor } from '../support/wait.js';
import { deleteRedisPrefix } from '../support/redis.js';

const HOUR = 3_600_000;
const OPTS: MoverOptions = { hotWindowMs: HOUR, batchSize: 2000, maxBatchesPerRun: 1_000_000, archiveVectors: true, retentionDays: 0, partitionsAheadDays: 2 };

/**
 * Inserts `n` events whose ingested_at is `ageSql(g)` ago (g = 1..n, evaluated by Postgres), and a
 * 3-dim vector for every tenth one.
 */
async function seed(ds: DataSource, n: number, ageSql: string, prefix: string) {
  await ds.query(
    `INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at, ingested_at)
     SELECT 'demo', $2 || g, 'did:plc:a' || (g % 97), 'post ' || g || ' about $btc and #ai', ARRAY['$btc', '#ai'], 'en',
            now() - (${ageSql}) - interval '1 second', now() - (${ageSql})
       FROM generate_series(1, $1::int) g`,
    [n, prefix],
  );
  await ds.query(`INSERT INTO embeddings (event_id, model_id, embedding) SELECT id, 'test@1', '[1,2,3]' FROM events WHERE id % 10 = 0 AND source_event_id LIKE $1 || '%'`, [prefix]);
}

/** Content of every event in both tiers, in id order: equal before and after a move = nothing lost or changed. */
const FINGERPRINT = (table: string) =>
  `SELECT count(*)::int AS n, md5(string_agg(id || '|' || source || '|' || source_event_id || '|' || author || '|' || text || '|' || entities::text || '|' || coalesce(lang, '') || '|' || created_at::text || '|' || ingested_at::text, ',' ORDER BY id)) AS md5 FROM ${table}`;

describe('mover (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const extra: DataSource[] = [];
  const open = async (poolMax = 3) => {
    const d = createDataSource({ url: db.url, migrations: MIGRATIONS, poolMax, applicationName: 'sift-test-mover' });
    await d.initialize();
    extra.push(d);
    return d;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, migrations: MIGRATIONS, poolMax: 4 });
    await ds.initialize();
    await runMigrationsLocked(ds);
  });
  afterAll(async () => {
    vi.useRealTimers();
    for (const d of extra) if (d.isInitialized) await d.destroy();
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await ds.query(`TRUNCATE events, events_archive, embeddings, embeddings_archive`);
  });

  it('three concurrent movers over 100k rows: every row in exactly one tier, none lost, none moved twice', async () => {
    // 100k rows between 1h10m and ~3 days old, 2k rows younger than the 1h window.
    await seed(ds, 100_000, `interval '70 minutes' + make_interval(secs => g * 2.5)`, 'old-');
    await seed(ds, 2_000, `make_interval(secs => g * 1.5)`, 'new-');
    const before = (await ds.query(FINGERPRINT('events')))[0];
    const [{ due }] = await ds.query(`SELECT count(*)::int AS due FROM events WHERE ingested_at < now() - interval '1 hour'`);
    const [{ vecDue }] = await ds.query(`SELECT count(*)::int AS "vecDue" FROM embeddings m JOIN events e ON e.id = m.event_id WHERE e.ingested_at < now() - interval '1 hour'`);
    expect(due).toBe(100_000);

    const movers = await Promise.all([0, 1, 2].map(async () => new Mover(eventsRepo(await open()), OPTS)));
    const reports: MoveRunReport[] = [];
    // A mover stops at its first short batch (the rest may be locked by the others): the last one
    // standing drains; a further round would pick up anything a stopped mover left.
    for (let round = 0; round < 3; round++) {
      const rs = await Promise.all(movers.map((m) => m.run()));
      reports.push(...rs);
      if (rs.every((r) => r.moved === 0)) break;
    }
    for (const r of reports) expect(r.error).toBeUndefined();
    const movedByReports = reports.reduce((a, r) => a + r.moved, 0);

    const [{ hot, archived, both, dupes, overdue, stray }] = await ds.query(`SELECT
      (SELECT count(*) FROM events)::int AS hot,
      (SELECT count(*) FROM events_archive)::int AS archived,
      (SELECT count(*) FROM events e JOIN events_archive a USING (id))::int AS both,
      (SELECT count(*) - count(DISTINCT id) FROM events_archive)::int AS dupes,
      (SELECT count(*) FROM events WHERE ingested_at < now() - interval '1 hour')::int AS overdue,
      (SELECT count(*) FROM events_archive_default)::int AS stray`);
    expect({ hot, archived, both, dupes, overdue, stray }).toEqual({ hot: 2_000, archived: 100_000, both: 0, dupes: 0, overdue: 0, stray: 0 });
    // Each row was counted by exactly one mover: none moved twice.
    expect(movedByReports).toBe(100_000);
    // All three took part.
    expect(new Set(reports.filter((r) => r.moved > 0).map((r) => reports.indexOf(r) % 3)).size).toBe(3);
    // Nothing lost or altered: the union of the tiers is the data we started with.
    expect((await ds.query(FINGERPRINT('events_all')))[0]).toEqual(before);
    // Vectors followed their events into the archive; none left behind for moved events.
    const [{ vHot, vArch, vOrphan }] = await ds.query(`SELECT
      (SELECT count(*) FROM embeddings)::int AS "vHot",
      (SELECT count(*) FROM embeddings_archive)::int AS "vArch",
      (SELECT count(*) FROM embeddings m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id))::int AS "vOrphan"`);
    expect(vArch).toBe(vecDue);
    expect(vOrphan).toBe(0);
    expect(vHot).toBe(200);
    // The lag reported is the oldest hot row's age, inside the window now.
    const last = reports[reports.length - 1]!;
    expect(last.lagSeconds).toBe(0);
    expect(last.oldestHotAgeSeconds).toBeGreaterThan(2_000 * 1.5 - 60);
    expect(last.oldestHotAgeSeconds).toBeLessThan(3600);
  });

  const batchesBy = async (claim: BatchClaim) => (await moverMetrics.batches.get()).values.find((v) => v.labels.claim === claim)?.value ?? 0;
  /** Runs fresh movers until a run moves nothing; returns the rows moved. */
  const drain = async () => {
    let moved = 0;
    for (;;) {
      const r = await new Mover(eventsRepo(ds), OPTS).run();
      expect(r.error).toBeUndefined();
      if (!r.moved) return moved;
      moved += r.moved;
    }
  };
  /** Every row of `before` is in exactly one tier, unchanged, and the hot tier is empty. */
  const expectAllArchivedOnce = async (before: unknown) => {
    const [r] = await ds.query(`SELECT (SELECT count(*) FROM events)::int AS hot, (SELECT count(*) - count(DISTINCT id) FROM events_archive)::int AS dupes`);
    expect(r).toEqual({ hot: 0, dupes: 0 });
    expect((await ds.query(FINGERPRINT('events_archive')))[0]).toEqual(before);
  };

  it('without the move lease a batch claims FOR UPDATE SKIP LOCKED: rows another transaction holds are skipped, not waited for', async () => {
    await seed(ds, 5_000, `interval '2 hours' + make_interval(secs => g)`, 'k-');
    const before = (await ds.query(FINGERPRINT('events')))[0];
    const rowLockBatches = await batchesBy('row_locks');
    // Another session holds the lease in shared mode and row locks on the 1000 oldest rows, as
    // a row-locking batch in progress would.
    const other = await Db.of(await open(1)).hold();
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock_shared($1)', [MOVE_LEASE_KEY.toString()]);
    const held: string[] = (await other.query(`SELECT id::text FROM events ORDER BY ingested_at LIMIT 1000 FOR UPDATE`)).map((r: { id: string }) => r.id);
    try {
      // Had it waited for the held rows, this would not return while they are held.
      const r = await new Mover(eventsRepo(ds), OPTS).run();
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ moved: 4_000, claims: { lease: 0, row_locks: 2 } });
      expect(await batchesBy('row_locks')).toBe(rowLockBatches + 2);
      const [{ hot, heldHot, heldArchived }] = await ds.query(
        `SELECT (SELECT count(*) FROM events)::int AS hot, (SELECT count(*) FROM events WHERE id = ANY($1::bigint[]))::int AS "heldHot",
                (SELECT count(*) FROM events_archive WHERE id = ANY($1::bigint[]))::int AS "heldArchived"`,
        [held],
      );
      expect({ hot, heldHot, heldArchived }).toEqual({ hot: 1_000, heldHot: 1_000, heldArchived: 0 });
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    // Released: the next run takes the lease and moves what was skipped, from the oldest.
    const r2 = await new Mover(eventsRepo(ds), OPTS).run();
    expect(r2).toMatchObject({ moved: 1_000, claims: { lease: 1, row_locks: 0 } });
    await expectAllArchivedOnce(before);
  });

  it.each([
    ['commits', false],
    ['rolls back', true],
  ])('a batch that finds the lease taken waits for that batch, then claims with row locks; each row moves once (the lease holder %s)', async (_label, rollBack) => {
    await seed(ds, 5_000, `interval '2 hours' + make_interval(secs => g)`, 'w-');
    const before = (await ds.query(FINGERPRINT('events')))[0];
    // 1. A lone mover's batch holds the lease; it pauses before COMMIT.
    let paused!: (claim: BatchClaim) => void;
    const pausedClaim = new Promise<BatchClaim>((r) => (paused = r));
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    const leaseRun = new Mover(eventsRepo(await open(1)), { ...OPTS, maxBatchesPerRun: 1 }, {
      afterArchiveInsert: async ({ claim }) => {
        paused(claim);
        await resumed;
        if (rollBack) throw new Error('injected rollback');
      },
    }).run();
    expect(await pausedClaim).toBe('lease');

    // 2. A second mover's batch waits for the lease holder's batch instead of running beside it.
    const otherRun = new Mover(eventsRepo(await open(1)), OPTS).run();
    await waitFor('the second batch to wait on the lease', async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`);
      return n === 1;
    });
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive`))[0].n).toBe(0);
    resume();
    const [leased, other] = await Promise.all([leaseRun, otherRun]);
    expect(other.error).toBeUndefined();
    // Its first batch claimed with row locks (it asked while the lease was taken); the next ones
    // found the lease free.
    if (rollBack) {
      expect(leased).toMatchObject({ error: 'injected rollback', moved: 0 });
      expect(other).toMatchObject({ moved: 5_000, claims: { lease: 2, row_locks: 1 } });
    } else {
      expect(leased).toMatchObject({ moved: OPTS.batchSize, claims: { lease: 1, row_locks: 0 } });
      expect(leased.error).toBeUndefined();
      expect(other).toMatchObject({ moved: 3_000, claims: { lease: 1, row_locks: 1 } });
    }
    expect(await drain()).toBe(0);
    await expectAllArchivedOnce(before);
  });

  it('reads across tiers: by id and by time range, with the API row shape, after rows moved', async () => {
    await seed(ds, 3_000, `make_interval(mins => g)`, 'r-'); // 1 min .. 50 h old
    const want: StoredEvent[] = (await ds.query(`SELECT ${EVENT_COLUMNS} FROM events e ORDER BY e.id`)).map(toStoredEvent);
    await new Mover(eventsRepo(ds), OPTS).run();
    const [{ hot }] = await ds.query(`SELECT count(*)::int AS hot FROM events`);
    expect(hot).toBe(59);
    const moved = want.filter((e) => Date.parse(e.ingestedAt) < Date.now() - HOUR - 60_000).slice(0, 50);
    const kept = want.slice(-10);
    // GET /events/:id (EventsRepository.byIds over events_all).
    const byIds = (await ds.query(`SELECT ${EVENT_COLUMNS} FROM events_all e WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`, [[...moved, ...kept].map((e) => e.id)])).map(toStoredEvent);
    expect(byIds).toEqual([...moved, ...kept]);
    // GET /events?since=&until= reaching past the hot window, newest first, paginated by id.
    const since = new Date(Date.now() - 30 * HOUR);
    const until = new Date(Date.now() - 10 * 60_000);
    const expected = want.filter((e) => Date.parse(e.createdAt) >= since.getTime() && Date.parse(e.createdAt) < until.getTime()).reverse();
    const got: unknown[] = [];
    let beforeId: string | undefined;
    for (;;) {
      const page = (await ds.query(
        `SELECT ${EVENT_COLUMNS} FROM events_all e WHERE e.created_at >= $1 AND e.created_at < $2 ${beforeId ? 'AND e.id < $4' : ''} ORDER BY e.id DESC LIMIT $3`,
        beforeId ? [since, until, 500, beforeId] : [since, until, 500],
      )).map(toStoredEvent);
      got.push(...page);
      if (page.length < 500) break;
      beforeId = page[page.length - 1]!.id;
    }
    expect(got).toEqual(expected);
    expect(expected.length).toBeGreaterThan(1000);
  });

  it('a crash inside the move statement, or after it before COMMIT, rolls the batch back: rows stay hot, once', async () => {
    await seed(ds, 5_000, `interval '2 hours' + make_interval(secs => g)`, 'c-');
    const before = (await ds.query(FINGERPRINT('events')))[0];
    const observer = await open(1);
    const seen: { total: number; hot: number; claim: BatchClaim }[] = [];
    const inspect: MoverHooks['afterArchiveInsert'] = async ({ ids, claim }) => {
      // Mid-batch, from another connection: each claimed row is visible once, in the hot tier.
      const [r] = await observer.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE tier = 'hot')::int AS hot FROM events_all WHERE id = ANY($1::bigint[])`, [ids]);
      seen.push({ ...r, claim });
    };

    // 0. The move statement itself fails halfway: rows already deleted from the hot table and
    // copied into the archive when the archive refuses one in the middle of the first batch.
    await ds.query(`CREATE FUNCTION test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.source_event_id = 'c-4000' THEN RAISE EXCEPTION 'injected mid-statement'; END IF; RETURN NEW; END $$`);
    await ds.query(`CREATE TRIGGER test_refuse_row BEFORE INSERT ON events_archive FOR EACH ROW EXECUTE FUNCTION test_refuse_row()`);
    try {
      const r0 = await new Mover(eventsRepo(ds), OPTS).run();
      expect(r0.error).toBe('injected mid-statement');
      expect(r0.moved).toBe(0);
    } finally {
      await ds.query(`DROP TRIGGER test_refuse_row ON events_archive; DROP FUNCTION test_refuse_row()`);
    }
    expect((await ds.query(FINGERPRINT('events')))[0]).toEqual(before);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive`))[0].n).toBe(0);

    // 1. The process throws mid-batch.
    const throwing = new Mover(eventsRepo(ds), OPTS, {
      afterArchiveInsert: async (ctx) => {
        await inspect(ctx);
        throw new Error('injected crash');
      },
    });
    const r1 = await throwing.run();
    expect(r1.error).toBe('injected crash');
    expect(r1.moved).toBe(0);
    expect((await ds.query(FINGERPRINT('events')))[0]).toEqual(before);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive`))[0].n).toBe(0);

    // 2. The connection dies mid-batch (the server sees the client vanish, as on a process kill).
    const dying = new Mover(eventsRepo(ds), OPTS, {
      afterArchiveInsert: async (ctx) => {
        await inspect(ctx);
        const [{ pid }] = await ctx.query('SELECT pg_backend_pid() AS pid');
        await observer.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    });
    const r2 = await dying.run();
    expect(r2.error).toBeTruthy();
    expect(r2.moved).toBe(0);
    expect((await ds.query(FINGERPRINT('events')))[0]).toEqual(before);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive`))[0].n).toBe(0);
    expect((await ds.query(`SELECT count(*)::int AS n FROM embeddings`))[0].n).toBe(500);
    // A lone mover holds the move lease.
    expect(seen).toEqual([
      { total: 2000, hot: 2000, claim: 'lease' },
      { total: 2000, hot: 2000, claim: 'lease' },
    ]);

    // 3. The next run (same pool, the broken connection discarded) moves everything exactly once.
    const r3 = await new Mover(eventsRepo(ds), OPTS).run();
    expect(r3).toMatchObject({ moved: 5_000, vectorsArchived: 500 });
    expect(r3.error).toBeUndefined();
    expect((await ds.query(FINGERPRINT('events_archive')))[0]).toEqual(before);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events`))[0].n).toBe(0);
  });

  it.each([
    ['+6 h', 6 * HOUR],
    ['−6 h', -6 * HOUR],
  ])('a worker whose clock is %s off moves exactly what a correct one does', async (_label, skewMs) => {
    const ages = [`5 minutes`, `30 minutes`, `55 minutes`, `65 minutes`, `2 hours`, `5 hours`, `7 hours`, `13 hours`, `25 hours`, `49 hours`];
    const seedAll = async (d: DataSource) => {
      for (const [i, age] of ages.entries()) await seed(d, 100, `interval '${age}' + make_interval(secs => g)`, `s${i}-`);
    };
    const movedSet = async () => (await ds.query(`SELECT source_event_id AS s FROM events_archive ORDER BY 1`)).map((r: { s: string }) => r.s);

    // Reference: a correct clock.
    await seedAll(ds);
    const reference = await new Mover(eventsRepo(ds), OPTS).run();
    const referenceMoved = await movedSet();
    expect(reference.moved).toBe(700);
    expect(referenceMoved.every((s: string) => /^s[3-9]-/.test(s))).toBe(true);

    // Same data, skewed process clock.
    await ds.query(`TRUNCATE events, events_archive, embeddings, embeddings_archive`);
    await seedAll(ds);
    vi.useFakeTimers({ now: Date.now() + skewMs, toFake: ['Date'] });
    let skewed;
    try {
      expect(Math.abs(Date.now() - skewMs - performance.timeOrigin - performance.now())).toBeLessThan(5_000);
      skewed = await new Mover(eventsRepo(ds), OPTS).run();
    } finally {
      vi.useRealTimers();
    }
    expect(skewed.error).toBeUndefined();
    expect(skewed.moved).toBe(reference.moved);
    expect(await movedSet()).toEqual(referenceMoved);
    expect(skewed.lagSeconds).toBe(0);
    expect(skewed.oldestHotAgeSeconds).toBeLessThan(3600);
    // Rows went to their day partitions by the database clock; none fell into the default one.
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive_default`))[0].n).toBe(0);
    const [{ today }] = await ds.query(`SELECT to_char((now() AT TIME ZONE 'UTC')::date + 2, 'YYYYMMDD') AS today`);
    expect((await eventsRepo(ds).listArchivePartitions()).map((p) => p.name)).toContain(`events_archive_p${today}`);
  });

  it('retention drops whole day partitions and leaves nothing older than the cutoff', async () => {
    // 20 rows every 6 hours, from 2 hours to 40 days old.
    await seed(ds, 3_200, `interval '2 hours' + make_interval(secs => ((g - 1) / 20) * 21600 + g)`, 'p-');
    const kept30 = new Mover(eventsRepo(ds), { ...OPTS, retentionDays: 30 });
    const first = await kept30.run();
    expect(first.error).toBeUndefined();
    const [{ cutoff30 }] = await ds.query(`SELECT ((now() AT TIME ZONE 'UTC')::date - 30)::timestamp AT TIME ZONE 'UTC' AS cutoff30`);
    // Rows older than the 30-day cutoff had no partition (default) and were purged with it.
    expect(first.purge!.defaultRowsDeleted).toBeGreaterThan(0);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive WHERE ingested_at < $1`, [cutoff30]))[0].n).toBe(0);
    expect((await ds.query(`SELECT count(*)::int AS n FROM events_archive_default`))[0].n).toBe(0);

    const [{ cutoff, keep, keepVec }] = await ds.query(`
      WITH c AS (SELECT ((now() AT TIME ZONE 'UTC')::date - 10)::timestamp AT TIME ZONE 'UTC' AS cutoff)
      SELECT c.cutoff, (SELECT count(*) FROM events_archive WHERE ingested_at >= c.cutoff)::int AS keep,
             (SELECT count(*) FROM embeddings_archive WHERE event_ingested_at >= c.cutoff)::int AS "keepVec" FROM c`);
    const partitionsBefore = await eventsRepo(ds).listArchivePartitions();
    const purge = await kept30.purge(10);
    const cutoffDay = new Date(cutoff).toISOString().slice(0, 10);
    expect(purge.cutoff).toBe(new Date(cutoff).toISOString());
    // Whole partitions, of both archive tables, and only those entirely before the cutoff.
    expect(purge.droppedPartitions.sort()).toEqual(partitionsBefore.filter((p) => p.day < cutoffDay).map((p) => p.name).sort());
    expect(purge.droppedPartitions.length).toBe(2 * 20);
    expect(purge.defaultRowsDeleted).toBe(0);
    const [after] = await ds.query(
      `SELECT (SELECT count(*) FROM events_archive WHERE ingested_at < $1)::int AS older,
              (SELECT count(*) FROM embeddings_archive WHERE event_ingested_at < $1)::int AS "olderVec",
              (SELECT count(*) FROM events_archive)::int AS left,
              (SELECT count(*) FROM embeddings_archive)::int AS "leftVec"`,
      [cutoff],
    );
    expect(after).toEqual({ older: 0, olderVec: 0, left: keep, leftVec: keepVec });
    expect((await eventsRepo(ds).listArchivePartitions()).every((p) => p.day >= cutoffDay)).toBe(true);
    expect(keep).toBeGreaterThan(500);
  });

  it('the space of moved rows is recycled: the hot table stays the same size cycle after cycle', async () => {
    const mover = new Mover(eventsRepo(ds), { ...OPTS, vacuum: true });
    const peaks: number[] = [];
    for (let i = 0; i < 4; i++) {
      await seed(ds, 20_000, `interval '2 hours' + make_interval(secs => g)`, `v${i}-`);
      // The hot table's heap at its fullest. (Its btree indexes recycle emptied pages only once no
      // transaction older than the VACUUM is open anywhere in the cluster, so their size depends
      // on what else runs on the server; the heap depends on this database only.)
      peaks.push(Number((await ds.query(`SELECT pg_relation_size('events') AS b`))[0].b));
      const r = await mover.run();
      expect(r.moved).toBe(20_000);
      expect(r.vacuumed).toContain('events');
    }
    expect(peaks.slice(1)).toEqual([peaks[0], peaks[0], peaks[0]]);
  });

  it('an embedding written after its event moved is swept out of the hot table', async () => {
    await seed(ds, 100, `interval '2 hours' + make_interval(secs => g)`, 'o-');
    await seed(ds, 10, `make_interval(secs => g)`, 'h-');
    const mover = new Mover(eventsRepo(ds), OPTS);
    await mover.run();
    // The race: an embedding job read the event before the move and writes its vector after.
    const [{ id }] = await ds.query(`SELECT min(id)::text AS id FROM events_archive`);
    await ds.query(`INSERT INTO embeddings (event_id, model_id, embedding) VALUES ($1, 'late@1', '[4,5,6]')`, [id]);
    const r = await mover.run();
    expect(r.vectorsArchived).toBe(1);
    expect((await ds.query(`SELECT count(*)::int AS n FROM embeddings WHERE model_id = 'late@1'`))[0].n).toBe(0);
    expect((await ds.query(`SELECT count(*)::int AS n FROM embeddings_archive WHERE model_id = 'late@1' AND event_id = $1`, [id]))[0].n).toBe(1);
  });
});

describe('mover in the worker role (BullMQ job scheduler)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const apps: SiftApp[] = [];
  const prefix = `sift-test-mover-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  const bullQueue = () => new Queue(MOVER_QUEUE, { connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) }, prefix });

  afterAll(async () => {
    for (const a of apps) await a.close();
    // Leave nothing behind in Redis (the schedule would otherwise keep its next tick forever):
    // every key under this test's own prefix.
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('two workers share one schedule; the rows past the window move; metrics and logs report the run', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_KEY_PREFIX: prefix,
      EMBEDDINGS_ENABLED: 'false',
      MOMENTUM_ENABLED: 'false',
      MOVER_INTERVAL: '300ms',
      MOVER_HOT_WINDOW: '1h',
      MOVER_BATCH_SIZE: '500',
    };
    // Both apps live in this process and share its metrics registry: measure the difference.
    const movedBefore = (await moverMetrics.rowsMoved.get()).values[0]?.value ?? 0;
    apps.push(await bootSift(env, 'worker'), await bootSift(env, 'worker'));
    await waitFor('migrations', async () => (await query(db.url, `SELECT to_regclass('events_all') AS v`))[0].v);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(
        `INSERT INTO events (source, source_event_id, author, text, entities, created_at, ingested_at)
         SELECT 'demo', 'w' || g, 'a', 'old post', '{}', now(), now() - interval '2 hours' - make_interval(secs => g) FROM generate_series(1, 3000) g`,
      );
      await c.query(`INSERT INTO events (source, source_event_id, author, text, entities, created_at) SELECT 'demo', 'n' || g, 'a', 'new post', '{}', now() FROM generate_series(1, 50) g`);
    } finally {
      await c.end();
    }
    await waitFor('rows moved by the scheduled job', async () => (await query(db.url, `SELECT count(*)::int AS n FROM events_archive`))[0].n === 3000, 30_000);
    expect((await query(db.url, `SELECT count(*)::int AS n FROM events`))[0].n).toBe(50);

    const q = bullQueue();
    try {
      expect(await q.getJobSchedulersCount()).toBe(1);
    } finally {
      await q.close();
    }
    const metrics = await (await fetch(`${apps[0]!.url}/metrics`)).text();
    expect(Number(/^sift_mover_rows_moved_total (\d+)/m.exec(metrics)?.[1]) - movedBefore).toBe(3000);
    expect(metrics).toMatch(/^sift_mover_lag_seconds 0$/m);
    expect(metrics).toMatch(/^sift_mover_runs_total\{result="ok"\} \d+/m);
    const ready = await getJson(`${apps[0]!.url}/health/live`);
    expect(ready.status).toBe(200);
  });
});

describe('API reads across tiers (api role over events_all)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    sift = await bootSift({ DATABASE_URL: db.url, EMBEDDINGS_ENABLED: 'false' }, 'api');
    await waitFor('migrations', async () => (await query(db.url, `SELECT to_regclass('events_all') AS v`))[0].v);
    ds = createDataSource({ url: db.url, migrations: MIGRATIONS, poolMax: 2 });
    await ds.initialize();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await sift?.close();
    await db?.drop();
  });

  it('GET /events/:id and GET /events?since= (paged across tiers) return moved rows unchanged', async () => {
    await seed(ds, 600, `make_interval(mins => g * 5)`, 'api-'); // 5 min .. 50 h old
    const before: StoredEvent[] = (await ds.query(`SELECT ${EVENT_COLUMNS} FROM events e ORDER BY e.id DESC`)).map(toStoredEvent);
    const r = await new Mover(eventsRepo(ds), OPTS).run();
    expect(r.moved).toBe(600 - 11);
    const moved = before.filter((e) => Date.parse(e.ingestedAt) < Date.now() - HOUR - 60_000);
    const one = await getJson(`${sift.url}/events/${moved[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(moved[0]);
    // A time range that starts in the hot window and reaches well into the archive, paged by cursor.
    const since = new Date(Date.now() - 20 * HOUR).toISOString();
    const want = before.filter((e) => e.createdAt >= since);
    const got: StoredEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await getJson(`${sift.url}/events?since=${since}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      got.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(got).toEqual(want);
    expect(want.filter((e) => moved.some((m) => m.id === e.id)).length).toBeGreaterThan(200);
  });
});
