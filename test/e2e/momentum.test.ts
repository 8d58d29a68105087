import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventBus, TOPICS } from '../../libs/bus/event-bus.js';
import type { SiftEvent } from '../../libs/contracts/event.js';
import type { ServerToClientEvents } from '../../libs/contracts/socket.js';
import type { TrendItem, TrendsChanged } from '../../libs/contracts/trends.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { MOMENTUM_LOCK_KEY, MomentumService } from '../../src/momentum/momentum.service.js';
import { eventsRepo } from '../support/repos.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { waitFor } from '../support/wait.js';
import { deleteRedisPrefix } from '../support/redis.js';

/**
 * Steady background per minute for the 6 h baseline and the short window: a high-volume cashtag,
 * a hashtag, a mention and a domain, each with a deterministic wobble around its rate.
 */
const BACKGROUND = [
  { entity: '$btc', base: 30, wobble: 5 },
  { entity: '#ai', base: 10, wobble: 2 },
  { entity: '@alice.bsky.social', base: 4, wobble: 1 },
  { entity: 'example.com', base: 6, wobble: 2 },
];

describe('momentum (api + worker, real Postgres + Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let bus: RedisEventBus;
  const prefix = `sift-test-momentum-${randomBytes(3).toString('hex')}`;
  const changes: TrendsChanged[] = [];
  const pushed: TrendsChanged[] = [];
  let socket: Socket<ServerToClientEvents> | undefined;
  const sql = <T = any>(text: string, params: unknown[] = []) => query<T>(db.url, text, params);
  /** The first snapshot whose recompute started after `t` (database time). */
  const snapshotAfter = (t: string) =>
    waitFor('a recompute after ' + t, async () => (await sql(`SELECT id::text, items FROM trend_snapshots WHERE computed_at > $1 ORDER BY id LIMIT 1`, [t]))[0], 20_000) as Promise<{
      id: string;
      items: TrendItem[];
    }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    bus = new RedisEventBus(REDIS_URL, `${prefix}:bus:`);
    await bus.subscribe<TrendsChanged>(TOPICS.trendsChanged, (c) => changes.push(c));
    sift = await bootSift(
      {
        DATABASE_URL: db.url,
        REDIS_KEY_PREFIX: prefix,
        API_AUTH: 'off',
        EMBEDDINGS_ENABLED: 'false',
        MOVER_ENABLED: 'false',
        MOMENTUM_INTERVAL: '1s',
        MOMENTUM_SHORT_WINDOW: '10m',
        MOMENTUM_BASELINE_WINDOW: '6h',
      },
      'api,worker',
    );
    await waitFor('schema', async () => (await sql(`SELECT to_regclass('trend_snapshots') AS t`))[0].t);
    socket = io(sift.url, { transports: ['websocket'], reconnection: false });
    socket.on('trends', (c) => pushed.push(c));
    await waitFor('socket.io connect', () => socket!.connected, 10_000);
    // 370 minutes of background, every minute but the current one, through the ingest trigger.
    for (const b of BACKGROUND) {
      await sql(
        `INSERT INTO events (source, source_event_id, author, text, entities, created_at, ingested_at)
         SELECT 'demo', 'bg-' || $1 || '-' || m || '-' || k, 'a', 'background ' || $1, ARRAY[$1], now(),
                date_trunc('minute', now()) - make_interval(mins => m) + make_interval(secs => k % 59)
           FROM generate_series(1, 370) m,
                LATERAL generate_series(1, $2::int + ((m * 7) % (2 * $3::int + 1)) - $3::int) k`,
        [b.entity, b.base, b.wobble],
      );
    }
    // Low-count noise: 200 entities seen 1–3 times in the last minutes, never before.
    await sql(
      `INSERT INTO events (source, source_event_id, author, text, entities, created_at, ingested_at)
       SELECT 'demo', 'noise-' || i || '-' || k, 'a', 'noise', ARRAY['$n' || i], now(), now() - make_interval(secs => (i % 240) + k)
         FROM generate_series(1, 200) i, LATERAL generate_series(1, 1 + i % 3) k`,
    );
  });

  afterAll(async () => {
    socket?.disconnect();
    await bus?.close();
    await sift?.close();
    // Every key under this test's own prefix (queues, schedules, counters).
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('counts mentions per entity and minute at ingest, once per stored event (duplicates are not counted)', async () => {
    const [{ n }] = await sql(`SELECT sum(count)::int AS n FROM entity_counts WHERE entity = '$btc'`);
    const [{ e }] = await sql(`SELECT count(*)::int AS e FROM events WHERE '$btc' = ANY(entities)`);
    expect(n).toBe(e);
    // Through the relay's own writer: the second, identical batch is all duplicates.
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    try {
      const store = eventsRepo(ds);
      const batch: SiftEvent[] = Array.from({ length: 25 }, (_, i) => ({
        source: 'relaytest',
        sourceEventId: `dup-${i}`,
        author: 'a',
        text: `$dup #dupe ${i}`,
        entities: ['$dup', '#dupe'],
        createdAt: new Date(),
      }));
      expect(await store.writeBatch('relaytest', batch, undefined)).toHaveLength(25);
      expect(await store.writeBatch('relaytest', batch, undefined)).toHaveLength(0);
    } finally {
      await ds.destroy();
    }
    const rows = await sql(`SELECT entity, source, sum(count)::int AS n FROM entity_counts WHERE source = 'relaytest' GROUP BY 1, 2 ORDER BY 1`);
    expect(rows).toEqual([
      { entity: '#dupe', source: 'relaytest', n: 25 },
      { entity: '$dup', source: 'relaytest', n: 25 },
    ]);
  });

  it('steady high volume and low-count noise do not rank as gaining momentum', async () => {
    const [{ t }] = await sql(`SELECT clock_timestamp()::text AS t`);
    const snap = await snapshotAfter(t);
    const listed = snap.items.map((i) => i.entity);
    for (const b of BACKGROUND) expect(listed).not.toContain(b.entity);
    expect(listed.filter((e) => /^\$n\d+$/.test(e))).toEqual([]);
    // They were scored, just not eligible: $btc's score is near zero.
    const btc = await getJson(`${sift.url}/trends/%24btc`);
    expect(btc.status).toBe(200);
    expect(btc.body.current.eligible).toBe(false);
    expect(btc.body.current.score).toBeLessThan(0.35);
    expect(btc.body.current.score).toBeGreaterThan(-1);
    expect(btc.body.current.count).toBeGreaterThan(150);
  });

  it('a burst of $xyz ranks first in the next recompute and is broadcast as entered and crossing up', async () => {
    await sql(
      `INSERT INTO events (source, source_event_id, author, text, entities, created_at)
       SELECT 'demo', 'xyz-' || g, 'a', 'everyone is talking about $xyz', ARRAY['$xyz', '#ai'], now() FROM generate_series(1, 60) g`,
    );
    const [{ t }] = await sql(`SELECT clock_timestamp()::text AS t`);
    const snap = await snapshotAfter(t);
    expect(snap.items[0]).toMatchObject({ rank: 1, entity: '$xyz', kind: 'cashtag', count: 60, baselineCount: 0, expected: 0 });
    expect(snap.items[0]!.score).toBeCloseTo(Math.log2(65 / 5), 3);
    expect(snap.items.map((i) => i.entity)).not.toContain('$btc');

    const msg = await waitFor('trends.changed with $xyz', () => changes.find((c) => c.entered.includes('$xyz')), 10_000);
    expect(msg.top[0]!.entity).toBe('$xyz');
    expect(msg.crossed).toContainEqual({ entity: '$xyz', direction: 'up', threshold: 3, score: snap.items[0]!.score });
    expect(msg.shortWindowMinutes).toBe(10);
    expect(msg.baselineMinutes).toBe(360);
    // …and socket.io clients of the api get the same change as a 'trends' message.
    const viaSocket = await waitFor('trends over socket.io', () => pushed.find((c) => c.snapshotId === msg.snapshotId), 10_000);
    expect(viaSocket).toEqual(msg);
    // Broadcast only on change: no message while the board stays the same.
    const n = changes.length;
    const [{ t2 }] = await sql(`SELECT clock_timestamp()::text AS t2`);
    await snapshotAfter(t2);
    await snapshotAfter((await sql(`SELECT clock_timestamp()::text AS t`))[0].t);
    expect(changes.slice(n).filter((c) => c.entered.length || c.left.length)).toEqual([]);
  });

  it('GET /trends serves the leaderboard with counts and sparklines; filters compute live', async () => {
    const r = await getJson(`${sift.url}/trends`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: 'snapshot', shortWindowMinutes: 10, baselineMinutes: 360, source: null, kind: null });
    const top = r.body.items[0] as TrendItem;
    expect(top).toMatchObject({ rank: 1, entity: '$xyz', count: 60 });
    expect(top.sparkline).toHaveLength(30);
    expect(top.sparkline.reduce((a, b) => a + b, 0)).toBe(60);

    const bySource = await getJson(`${sift.url}/trends?source=demo&window=5&baseline=120&limit=3`);
    expect(bySource.status).toBe(200);
    expect(bySource.body).toMatchObject({ from: 'live', source: 'demo', shortWindowMinutes: 5, baselineMinutes: 120, snapshotId: null });
    expect(bySource.body.items[0].entity).toBe('$xyz');
    expect(bySource.body.computedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.body.computedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(bySource.body.items.length).toBeLessThanOrEqual(3);
    expect((await getJson(`${sift.url}/trends?source=elsewhere`)).body.items).toEqual([]);
    const hashtags = await getJson(`${sift.url}/trends?kind=hashtag`);
    expect(hashtags.body.items.every((i: TrendItem) => i.kind === 'hashtag')).toBe(true);
    expect(hashtags.body.items.map((i: TrendItem) => i.entity)).not.toContain('$xyz');

    const series = await getJson(`${sift.url}/trends/%24XYZ`);
    expect(series.status).toBe(200);
    expect(series.body).toMatchObject({ entity: '$xyz', kind: 'cashtag', stepMinutes: 1 });
    expect(series.body.points).toHaveLength(360);
    expect(series.body.points.reduce((a: number, p: { count: number }) => a + p.count, 0)).toBe(60);
    expect(series.body.current).toMatchObject({ count: 60, eligible: true });
    const btc = await getJson(`${sift.url}/trends/%24btc?minutes=120&step=10&source=demo`);
    expect(btc.body.points).toHaveLength(12);
    expect(btc.body.points[5].count).toBeGreaterThan(250);
    expect(Date.parse(btc.body.points[1].t) - Date.parse(btc.body.points[0].t)).toBe(600_000);

    for (const bad of ['/trends?kind=stocks', '/trends?window=0', '/trends?colour=red', '/trends/not%20an%20entity', '/trends/%24btc?step=0']) {
      const b = await getJson(`${sift.url}${bad}`);
      expect(b.status, bad).toBe(400);
    }
    const doc = await getJson(`${sift.url}/docs-json`);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/trends', '/trends/{entity}']));
  });

  it('one runner: while another holds the lock, recomputes skip and no snapshot is written', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      // Returns once no recompute is running (their transaction-level lock conflicts with this one).
      await holder.query('SELECT pg_advisory_lock($1)', [MOMENTUM_LOCK_KEY.toString()]);
      const [{ before }] = await sql(`SELECT max(id)::text AS before FROM trend_snapshots`);
      expect(await sift.app.get(MomentumService).recompute()).toEqual({ ran: false, reason: 'locked' });
      // Scheduled ticks keep coming (every second) and skip.
      await new Promise((r) => setTimeout(r, 2500));
      const [{ after }] = await sql(`SELECT max(id)::text AS after FROM trend_snapshots`);
      expect(after).toBe(before);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [MOMENTUM_LOCK_KEY.toString()]).catch(() => undefined);
      await holder.end();
    }
    // Free again: the next recompute (ours or a scheduled one) runs.
    await waitFor('a recompute after the lock is released', async () => (await sift.app.get(MomentumService).recompute()).ran);
    const metrics = await (await fetch(`${sift.url}/metrics`)).text();
    expect(metrics).toMatch(/^sift_momentum_runs_total\{result="skipped"\} [1-9]/m);
  });
});
