import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { UsageMeter } from '../../src/usage/usage-meter.js';
import { UsageRetentionProcessor } from '../../src/usage/usage-retention.processor.js';
import { UsageRepository } from '../../src/usage/usage.repository.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';

/**
 * Usage metering end to end: two api instances on one database (the second also a worker), real
 * HTTP, real Postgres. Flushes are driven by the test (USAGE_FLUSH_INTERVAL is long) so counts
 * are compared at known points; the last counters are written by a graceful shutdown.
 */
describe('usage metering per API key', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: SiftApp;
  let b: SiftApp;
  let aClosed = false;
  let reader: { id: string; key: string };
  let limited: { id: string; key: string };
  let searcher: { id: string; key: string };
  const env = () => ({ DATABASE_URL: db.url, EMBEDDINGS_ENABLED: 'false', USAGE_FLUSH_INTERVAL: '5m' });
  const meter = (app: SiftApp) => app.app.get(UsageMeter, { strict: false });

  /** Minute-row quantity per dimension of one key and metric, straight from the table. */
  async function stored(keyId: string | null, metric: string, granularity = 'minute'): Promise<Record<string, number>> {
    const rows = await query<{ dimension: string; n: string }>(
      db.url,
      `SELECT dimension, sum(quantity)::text AS n FROM usage_counts WHERE granularity = $1 AND metric = $2 AND key_id IS NOT DISTINCT FROM $3 GROUP BY dimension`,
      [granularity, metric, keyId],
    );
    return Object.fromEntries(rows.map((r) => [r.dimension, Number(r.n)]));
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await bootSift(env(), 'api');
    b = await bootSift(env(), 'api,worker');
    for (const app of [a, b]) {
      for (let i = 0; i < 200 && (await getJson(`${app.url}/health/ready`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    }
    const mk = async (name: string, scopes: string[], rateLimitPerMin?: number) => {
      const r = await getJson(`${a.url}/admin/keys`, { method: 'POST', body: JSON.stringify({ name, scopes, rateLimitPerMin }) });
      expect(r.status).toBe(201);
      return { id: r.body.id as string, key: r.body.key as string };
    };
    reader = await mk('reader', ['read']);
    limited = await mk('limited', ['read'], 1);
    searcher = await mk('searcher', ['read', 'search']);
    // Admin calls above were metered under `admin`; start the counts from here.
    await meter(a).flush();
  });

  afterAll(async () => {
    if (!aClosed) await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('counts every request per route and status class for its key, incl. 401/403/404/429, across two instances, through a flush and a graceful shutdown', async () => {
    const get = (app: SiftApp, path: string, key: string | null) => getJson(`${app.url}${path}`, { key });
    const expectStatus = async (p: Promise<{ status: number }>, status: number) => expect((await p).status).toBe(status);
    for (let i = 0; i < 3; i++) await expectStatus(get(a, '/events?limit=1', reader.key), 200);
    for (let i = 0; i < 2; i++) await expectStatus(get(b, '/events', reader.key), 200);
    await expectStatus(get(a, '/events/999999', reader.key), 404);
    await expectStatus(get(a, '/events/999998', reader.key), 404);
    await expectStatus(get(a, '/admin/keys', reader.key), 403);
    await expectStatus(get(a, '/events?limit=abc', reader.key), 400);
    await expectStatus(get(a, '/events', null), 401);
    await expectStatus(get(a, '/events', 'sift_not-a-real-key'), 401);
    await expectStatus(get(a, '/no/such/route', reader.key), 404);
    await expectStatus(get(a, '/events', limited.key), 200);
    await expectStatus(get(a, '/events', limited.key), 429);
    await expectStatus(get(a, '/search?q=rates', searcher.key), 200);
    await expectStatus(get(a, '/search?q=rates&mode=semantic', searcher.key), 200);

    // Nothing is written per request: the table has no reader rows before a flush.
    expect(await stored(reader.id, 'http_requests')).toEqual({});
    await Promise.all([meter(a).flush(), meter(b).flush()]);
    // One more after the flush: only the graceful shutdown writes it.
    await expectStatus(get(a, '/events', reader.key), 200);
    aClosed = true;
    await a.close();

    expect(await stored(reader.id, 'http_requests')).toEqual({
      'GET /events 2xx': 6,
      'GET /events 4xx': 1,
      'GET /events/:id 4xx': 2,
      'GET /admin/keys 4xx': 1,
    });
    expect(await stored(limited.id, 'http_requests')).toEqual({ 'GET /events 2xx': 1, 'GET /events 4xx': 1 });
    // No key (missing or unknown) and unmatched routes (the guard never runs) are anonymous.
    // (Health probes are anonymous too; toMatchObject still compares these two counts exactly.)
    expect(await stored(null, 'http_requests')).toMatchObject({ 'GET /events 4xx': 2, 'GET unmatched 4xx': 1 });
    // Embeddings are off: both searches were served by keyword, and no query vector was computed.
    expect(await stored(searcher.id, 'search_queries')).toEqual({ keyword: 2 });
    expect(await stored(searcher.id, 'query_embeddings')).toEqual({});
    expect(await stored(searcher.id, 'http_requests')).toEqual({ 'GET /search 2xx': 2 });
  });

  it('counts a query embedding, by model, when a search computed a query vector', async () => {
    // Embeddings on (the bundled model): hybrid and semantic embed the query; keyword does not.
    const e = await bootSift({ DATABASE_URL: db.url, USAGE_FLUSH_INTERVAL: '5m' }, 'api');
    try {
      for (let i = 0; i < 200 && (await getJson(`${e.url}/health/ready`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      const served: string[] = [];
      for (const mode of ['hybrid', 'semantic', 'keyword']) {
        const r = await getJson(`${e.url}/search?q=interest+rates&mode=${mode}`, { key: searcher.key });
        expect(r.status).toBe(200);
        served.push(`${r.body.mode} ${r.body.model}`);
      }
      expect(served).toEqual(['hybrid glove-100d@1', 'semantic glove-100d@1', 'keyword null']);
    } finally {
      await e.close();
    }
    expect(await stored(searcher.id, 'query_embeddings')).toEqual({ 'glove-100d@1': 2 });
    expect(await stored(searcher.id, 'search_queries')).toEqual({ keyword: 3, hybrid: 1, semantic: 1 });
  });

  it('rolls minutes up into hour and day rows that equal their sums', async () => {
    const diff = await query(
      db.url,
      `WITH m AS (SELECT coalesce(key_id, '-') AS k, metric, dimension, date_trunc($1, bucket, 'UTC') AS b, sum(quantity) AS q, sum(cost_nano_usd) AS c FROM usage_counts WHERE granularity = 'minute' GROUP BY 1, 2, 3, 4),
            r AS (SELECT coalesce(key_id, '-') AS k, metric, dimension, bucket AS b, quantity AS q, cost_nano_usd AS c FROM usage_counts WHERE granularity = $1)
       SELECT * FROM m FULL JOIN r USING (k, metric, dimension, b) WHERE m.q IS DISTINCT FROM r.q OR m.c IS DISTINCT FROM r.c`,
      ['hour'],
    );
    expect(diff).toEqual([]);
    const dayDiff = await query(
      db.url,
      `SELECT (SELECT sum(quantity) FROM usage_counts WHERE granularity = 'minute')::text AS m, (SELECT sum(quantity) FROM usage_counts WHERE granularity = 'day')::text AS d`,
    );
    expect(Number(dayDiff[0].m)).toBeGreaterThan(0);
    expect(dayDiff[0].d).toBe(dayDiff[0].m);
  });

  it('adds up concurrent flushes from two processes with no lost update, and keeps exact nano-USD costs', async () => {
    // Two meters (b's and a fresh process's) each record 500 calls for one key and link, flushed at once, five times over.
    const c = await bootSift(env(), 'api');
    try {
      for (let round = 0; round < 5; round++) {
        for (const m of [meter(b), meter(c)]) {
          for (let i = 0; i < 500; i++) m.record({ keyId: reader.id, metric: 'llm_tokens_in', dimension: 'local', quantity: 7, costNanoUsd: 2_100 });
          m.record({ keyId: reader.id, metric: 'llm_calls', dimension: 'local', quantity: 1 });
        }
        await Promise.all([meter(b).flush(), meter(c).flush()]);
      }
    } finally {
      await c.close();
    }
    expect(await stored(reader.id, 'llm_tokens_in')).toEqual({ local: 2 * 5 * 500 * 7 });
    expect(await stored(reader.id, 'llm_tokens_in', 'day')).toEqual({ local: 2 * 5 * 500 * 7 });
    const u = await getJson(`${b.url}/usage?granularity=day`, { key: reader.key });
    expect(u.status).toBe(200);
    // 5000 calls × 2100 nano-USD = 0.0105 USD exactly.
    expect(u.body.totals.llm).toEqual([{ link: 'local', calls: 10, tokensIn: 35_000, tokensOut: 0, costUsd: '0.010500000' }]);
    expect(u.body.totals.costUsd).toBe('0.010500000');
  });

  it('GET /usage returns only the caller\'s own usage; GET /admin/usage needs admin and has per-key totals', async () => {
    const mine = await getJson(`${b.url}/usage?granularity=minute`, { key: reader.key });
    expect(mine.status).toBe(200);
    expect(mine.body.keyId).toBe(reader.id);
    const routes = Object.fromEntries(mine.body.totals.requests.map((r: any) => [`${r.route} ${r.statusClass}`, r.count]));
    expect(routes).toMatchObject({ 'GET /events 2xx': 6, 'GET /events/:id 4xx': 2, 'GET /admin/keys 4xx': 1 });
    expect(mine.body.buckets.length).toBeGreaterThan(0);
    // (The limited key has spent its one request a minute: read its usage as admin.)
    const lim = await getJson(`${b.url}/admin/usage?granularity=hour&keyId=${limited.id}`);
    expect(lim.body.keys[0].requests).toEqual([
      { route: 'GET /events', statusClass: '2xx', count: 1 },
      { route: 'GET /events', statusClass: '4xx', count: 1 },
    ]);

    expect((await getJson(`${b.url}/admin/usage`, { key: reader.key })).status).toBe(403);
    expect((await getJson(`${b.url}/admin/usage`, { key: null })).status).toBe(401);
    const all = await getJson(`${b.url}/admin/usage?granularity=hour`);
    expect(all.status).toBe(200);
    const ids = all.body.keys.map((k: any) => k.keyId);
    expect(ids).toEqual(expect.arrayContaining([reader.id, limited.id, searcher.id, 'admin', null]));
    expect(lim.body.keys.map((k: any) => k.keyId)).toEqual([limited.id]);
  });

  it('`sift usage` sums the same per key, as a table and as JSON', () => {
    const bin = resolve(import.meta.dirname, '../../dist/src/cli/sift.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'usage', ...args], { encoding: 'utf8', env: { ...process.env, SIFT_ENV_FILE: 'none', DATABASE_URL: db.url } });
    const json = run('--json');
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.granularity).toBe('minute');
    const lim = out.keys.find((k: any) => k.keyId === limited.id);
    expect(lim).toMatchObject({ name: 'limited', requests: 2, errors: 1, costUsd: '0.000000000' });
    expect(out.keys.find((k: any) => k.keyId === reader.id)).toMatchObject({ name: 'reader', llmTokensIn: 35_000, costUsd: '0.010500000' });
    const text = run('--key', reader.id);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/reader\s+\d+\s+\d+/);
    expect(text.stdout).not.toContain('limited');
  });

  it('answers bad parameters with a 400 that names the parameter', async () => {
    const bad = async (qs: string, word: string) => {
      const r = await getJson(`${b.url}/usage?${qs}`, { key: reader.key });
      expect(r.status, qs).toBe(400);
      expect(r.body.message.join(' '), qs).toContain(word);
    };
    await bad('granularity=week', 'granularity');
    await bad('from=yesterday', 'from');
    await bad('to=soon', 'to');
    await bad('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to must be after from');
    await bad('granularity=minute&from=2026-01-01T00:00:00Z&to=2026-01-05T00:00:00Z', 'from');
    const r = await getJson(`${b.url}/admin/usage?keyId=x;drop`);
    expect(r.status).toBe(400);
    expect(r.body.message.join(' ')).toContain('keyId');
  });

  it('exposes per-route latency histograms and error counts in /metrics, with route templates and no key ids', async () => {
    await getJson(`${b.url}/events/424242`, { key: reader.key });
    const text = await (await fetch(`${b.url}/metrics`)).text();
    expect(text).toMatch(/sift_http_request_duration_seconds_bucket\{le="0\.001",method="GET",route="\/events\/:id",status_class="4xx"\} \d+/);
    expect(text).toMatch(/sift_http_request_duration_seconds_bucket\{le="10",method="GET",route="\/events",status_class="2xx"\} \d+/);
    expect(text).toMatch(/sift_http_requests_errors_total\{method="GET",route="\/events\/:id",status_class="4xx"\} [1-9]/);
    expect(text).not.toContain(reader.id);
    expect(text).not.toContain('424242');
  });

  it('deletes minute and hour rows past retention and keeps the rest', async () => {
    const repo = b.app.get(UsageRepository, { strict: false });
    const old = Date.now() - 100 * 86_400_000;
    await repo.add([{ keyId: 'retention-test', minuteMs: Math.floor(old / 60_000) * 60_000, metric: 'http_requests', dimension: 'GET /events 2xx', quantity: 4, costNanoUsd: 0n }]);
    expect(await stored('retention-test', 'http_requests', 'minute')).toEqual({ 'GET /events 2xx': 4 });
    const recentBefore = await stored(reader.id, 'http_requests', 'minute');
    const r = await b.app.get(UsageRetentionProcessor, { strict: false }).runOnce();
    expect(r).toEqual({ minutes: 1, hours: 1 });
    expect(await stored('retention-test', 'http_requests', 'minute')).toEqual({});
    expect(await stored('retention-test', 'http_requests', 'hour')).toEqual({});
    expect(await stored('retention-test', 'http_requests', 'day')).toEqual({ 'GET /events 2xx': 4 });
    expect(await stored(reader.id, 'http_requests', 'minute')).toEqual(recentBefore);
  });
});
