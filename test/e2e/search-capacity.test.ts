import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson, metricValue, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

/**
 * A flood of slow searches must not starve health checks or other routes (issue #5): searches get
 * a few slots of the pool, extra ones wait in a short list or get 503 + Retry-After, and a query
 * cut off by statement_timeout is a 503 that says so, not a 500.
 *
 * "Slow" is made real, not simulated: a second session holds an ACCESS EXCLUSIVE lock on
 * `embeddings`, so every semantic leg blocks inside Postgres while holding a pooled connection.
 */
describe('search capacity: slow searches cannot starve other routes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  const metric = (series: string) => metricValue(sift.url, series);

  beforeAll(async () => {
    db = await createTestDatabase();
    sift = await bootSift(
      {
        DATABASE_URL: db.url,
        EMBED_SWEEP_MS: '300',
        DB_POOL_MAX: '6',
        DB_STATEMENT_TIMEOUT_MS: '4000',
        API_SEARCH_MAX_CONCURRENT: '2',
        API_SEARCH_QUEUE_MAX: '3',
        API_SEARCH_QUEUE_TIMEOUT_MS: '30000',
      },
      'api,worker',
    );
    await waitFor('ready', async () => (await getJson(`${sift.url}/health/ready`)).status === 200);
    for (let i = 0; i < 20; i++) {
      await query(db.url, `INSERT INTO events (source, source_event_id, author, text, created_at) VALUES ('t', $1, 'a', $2, now())`, [`e${i}`, `post ${i} about interest rates and the market`]);
    }
    await waitFor('embedded', async () => (await query(db.url, `SELECT count(*)::int AS n FROM embeddings`))[0].n === 20, 60_000);
    // Warm the search path (coverage cache, model) so the flood below only waits on the lock.
    expect((await getJson(`${sift.url}/search?q=rates`)).status).toBe(200);
  });
  afterAll(async () => {
    await sift?.close();
    await db?.drop();
  });

  it('rejects config that would let searches take the whole pool', async () => {
    await expect(bootSift({ DATABASE_URL: db.url, DB_POOL_MAX: '6', API_SEARCH_MAX_CONCURRENT: '3' }, 'api')).rejects.toThrow(/API_SEARCH_MAX_CONCURRENT: is 3, but 2 × it must stay below DB_POOL_MAX \(6\)/);
  });

  it('keeps health and other routes answering while searches hang, and sheds the excess with 503', async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    const rejectedBefore = await metric('sift_search_rejected_total{reason="queue_full"}');
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE embeddings IN ACCESS EXCLUSIVE MODE');

      const flood = Array.from({ length: 20 }, (_, i) => getJson(`${sift.url}/search?q=${encodeURIComponent(`market ${i}`)}&mode=semantic`));
      // 2 run (blocked on the lock), 3 wait for a slot, the other 15 are turned away at once.
      const settled: { status: number; headers: Headers; body: any }[] = [];
      flood.forEach((p) => p.then((r) => settled.push(r)));
      await waitFor('excess searches shed', async () => settled.length >= 15, 10_000);
      const shed = settled.filter((r) => r.status === 503);
      expect(shed).toHaveLength(15);
      for (const r of shed) {
        expect(r.headers.get('retry-after')).toBe('1');
        expect(r.body.message.join(' ')).toMatch(/search is at capacity/);
      }
      expect(await metric('sift_search_rejected_total{reason="queue_full"}')).toBe(rejectedBefore + 15);
      expect(await metric('sift_search_inflight{state="running"}')).toBe(2);
      expect(await metric('sift_search_inflight{state="waiting"}')).toBe(3);

      // The searches still hold their connections, yet the rest of the API answers.
      const ready = await getJson(`${sift.url}/health/ready`);
      expect(ready.status).toBe(200);
      const events = await getJson(`${sift.url}/events?limit=5`);
      expect(events.status).toBe(200);
      expect(events.body.items ?? events.body.data ?? events.body).toHaveLength(5);
      expect(settled.length).toBe(15); // nothing admitted has finished: they really were blocked

      // Held past DB_STATEMENT_TIMEOUT_MS, the blocked queries are cancelled: a clear 503, never a 500.
      const rest = await Promise.all(flood);
      const admitted = rest.filter((r) => !r.body?.message?.join?.(' ').includes('search is at capacity'));
      expect(admitted).toHaveLength(5);
      for (const r of admitted) {
        expect(r.status).toBe(503);
        expect(r.body.message.join(' ')).toMatch(/query took too long and was cancelled/);
      }
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    // Lock gone: searches work again and the slots were all given back.
    expect((await getJson(`${sift.url}/search?q=rates&mode=semantic`)).status).toBe(200);
    expect(await metric('sift_search_inflight{state="running"}')).toBe(0);
  }, 60_000);

  it('a waiting search whose client hangs up leaves the wait list instead of taking a slot later', async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    const before = { gone: await metric('sift_search_rejected_total{reason="client_gone"}'), timeout: await metric('sift_search_rejected_total{reason="timeout"}') };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE embeddings IN ACCESS EXCLUSIVE MODE');
      // Two searches take both slots and hang on the lock; a third waits, then its client leaves.
      const running = [0, 1].map((i) => getJson(`${sift.url}/search?q=${encodeURIComponent(`gone ${i}`)}&mode=semantic`));
      await waitFor('slots taken', async () => (await metric('sift_search_inflight{state="running"}')) === 2);
      const hangUp = new AbortController();
      const waiting = fetch(`${sift.url}/search?q=leaving&mode=semantic`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` }, signal: hangUp.signal }).catch((e: Error) => e);
      await waitFor('third search waits', async () => (await metric('sift_search_inflight{state="waiting"}')) === 1);
      hangUp.abort();
      expect(await waiting).toBeInstanceOf(Error);
      await waitFor('the wait list is empty again', async () => (await metric('sift_search_inflight{state="waiting"}')) === 0);
      expect(await metric('sift_search_rejected_total{reason="client_gone"}')).toBe(before.gone + 1);
      expect(await metric('sift_search_rejected_total{reason="timeout"}')).toBe(before.timeout);
      await locker.query('ROLLBACK');
      for (const r of await Promise.all(running)) expect([200, 503]).toContain(r.status);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    expect(await metric('sift_search_inflight{state="running"}')).toBe(0);
  }, 60_000);
});
