import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { spawnSift } from '../support/process.js';
import { waitFor } from '../support/wait.js';

const SAMPLE = 'data/sample-posts.ndjson';

describe('graceful shutdown', () => {
  it('SIGTERM mid-stream: readiness drops, the buffer and cursor are flushed, a restart resumes with nothing lost or doubled', async () => {
    const db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      PORT: '3441',
      // Large linger + batch: at SIGTERM there is almost always a partial batch in memory.
      RELAY_BATCH_SIZE: '5000',
      RELAY_BATCH_LINGER_MS: '2000',
      RELAY_SOURCES: JSON.stringify([{ name: 'demo', kind: 'replay', file: SAMPLE, rate: 400 }]),
    };
    try {
      const p = spawnSift(env, ['relay']);
      await waitFor('relay ready', async () => (await getJson('http://127.0.0.1:3441/health/ready', { key: null })).status === 200, 60_000);
      await waitFor('some events stored', async () => (await query(db.url, 'SELECT count(*)::int AS n FROM events'))[0].n > 200, 30_000);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      const logs = p.logs();
      expect(logs.some((l) => l.msg === 'stopped cleanly')).toBe(true);
      const [{ n: atStop }] = await query(db.url, 'SELECT count(*)::int AS n FROM events');
      const [{ cursor }] = await query(db.url, `SELECT cursor FROM source_cursors WHERE source = 'demo'`);
      // Everything up to the committed cursor is stored: the partial batch was flushed, not dropped.
      const sentUpTo = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.includes('"app.bsky.feed.post"') && l.includes('"operation":"create"') && Number(/"time_us":(\d+)/.exec(l)![1]) <= Number(cursor));
      expect(atStop).toBe(sentUpTo.length);

      const again = spawnSift(env, ['relay']);
      try {
        await waitFor('all 2910 stored after restart', async () => (await query(db.url, 'SELECT count(*)::int AS n FROM events'))[0].n === 2910, 60_000);
        const [{ d }] = await query(db.url, `SELECT count(*)::int - count(DISTINCT source_event_id)::int AS d FROM events`);
        expect(d).toBe(0);
      } finally {
        await again.stop();
      }
    } finally {
      await db.drop();
    }
  }, 150_000);

  it('tells socket.io clients to reconnect and fails readiness before closing', async () => {
    const db = await createTestDatabase();
    const sift = await bootSift({ DATABASE_URL: db.url, EMBEDDINGS_ENABLED: 'false' }, 'api');
    try {
      await waitFor('ready', async () => (await getJson(`${sift.url}/health/ready`)).status === 200);
      const socket = io(sift.url, { transports: ['websocket'], reconnection: false, auth: { key: TEST_ADMIN_KEY } });
      await waitFor('connected', () => socket.connected);
      const hint = new Promise<{ afterMs: number }>((r) => socket.once('reconnect_hint', r));
      const readyDuringClose = new Promise<number>((resolve) => {
        // The first readiness probe answered after close() begins must be a 503.
        setImmediate(async () => resolve((await getJson(`${sift.url}/health/ready`).catch(() => ({ status: 0 }))).status));
      });
      const closing = sift.close();
      expect((await hint).afterMs).toBeGreaterThan(0);
      expect([503, 0]).toContain(await readyDuringClose);
      await closing;
      socket.disconnect();
    } finally {
      await sift.close();
      await db.drop();
    }
  });
});

describe('readiness with a dependency down', () => {
  it('boots anyway and answers 503 with per-dependency details naming what is down', async () => {
    const db = await createTestDatabase();
    // Nothing listens on port 9: Redis is "down" from the start.
    const sift = await bootSift({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:9', QUEUE_DRIVER: 'inprocess', EMBEDDINGS_ENABLED: 'false' }, 'api');
    try {
      const r = await waitFor('schema ready, redis down', async () => {
        const x = await getJson(`${sift.url}/health/ready`);
        return x.body?.details?.migrations?.status === 'up' ? x : undefined;
      });
      expect(r.status).toBe(503);
      expect(r.body.status).toBe('error');
      expect(r.body.details.redis.status).toBe('down');
      expect(r.body.details.database.status).toBe('up');
      expect((await getJson(`${sift.url}/health/live`)).status).toBe(200);
    } finally {
      await sift.close();
      await db.drop();
    }
  });
});

describe('/metrics moves with what causes it', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let wss: WebSocketServer;
  let port = 0;
  const frame = (i: number, text: string) =>
    JSON.stringify({ did: 'did:plc:metrics', time_us: 1_700_000_000_000_000 + i * 1000, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: `r${i}`, record: { text, createdAt: new Date().toISOString() } } });

  beforeAll(async () => {
    db = await createTestDatabase();
    let connections = 0;
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws) => {
      connections++;
      // The second connection starts later in the stream: with resume off, the relay records a gap.
      const from = connections === 1 ? 0 : 100;
      for (let i = from; i < from + 50; i++) ws.send(frame(i, `metrics post ${i} about $btc and #ai`));
      ws.send('not json at all');
      // The first connection is dropped by the server: a reconnect the relay must count.
      if (connections === 1) setTimeout(() => ws.terminate(), 200);
    });
    sift = await bootSift({
      DATABASE_URL: db.url,
      EMBED_SWEEP_MS: '300',
      RELAY_BACKOFF_BASE_MS: '50',
      RELAY_SOURCES: JSON.stringify([{ name: 'metrics', kind: 'jetstream', url: `ws://127.0.0.1:${port}`, resume: false }]),
    });
  });
  afterAll(async () => {
    await sift?.close();
    wss?.close();
    await db?.drop();
  });

  const scrape = async () => (await fetch(`${sift.url}/metrics`)).text();
  const value = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);

  it('exposes ingest, quarantine, reconnects, gaps, embedding, search, sockets, pool, queue and event-loop metrics that move', async () => {
    await waitFor('reconnect happened and events stored', async () => {
      const t = await scrape();
      return value(t, /sift_relay_reconnects_total\{source="metrics",reason="network"\} (\d+)/) >= 1 && value(t, /sift_relay_events_ingested_total\{source="metrics"\} (\d+)/) === 100;
    }, 30_000);
    await waitFor('embedded', async () => (await query(db.url, 'SELECT count(*)::int AS n FROM embeddings'))[0].n === 100, 30_000);
    const socket = io(sift.url, { transports: ['websocket'], reconnection: false, auth: { key: TEST_ADMIN_KEY } });
    await waitFor('socket connected', () => socket.connected);
    await getJson(`${sift.url}/search?q=bitcoin&mode=semantic`);
    const t = await scrape();
    socket.disconnect();
    expect(value(t, /sift_relay_events_ingested_total\{source="metrics"\} (\d+)/)).toBe(100);
    expect(value(t, /sift_relay_gaps_total\{source="metrics"\} (\d+)/)).toBe(1);
    const [gap] = await query(db.url, `SELECT to_cursor FROM ingest_gaps WHERE source = 'metrics'`);
    expect(gap.to_cursor).toBe(String(1_700_000_000_000_000 + 100 * 1000));
    expect(value(t, /sift_relay_frames_quarantined_total\{source="metrics",reason="not_json"\} (\d+)/)).toBeGreaterThanOrEqual(2);
    expect(value(t, /sift_relay_reconnects_total\{source="metrics",reason="network"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(value(t, /sift_relay_source_state\{source="metrics",state="connected"\} (\d+)/)).toBe(1);
    expect(value(t, /sift_embed_events_total\{model="glove-100d@1"\} (\d+)/)).toBe(100);
    expect(value(t, /sift_embed_batch_seconds_count\{model="glove-100d@1"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(t, /sift_embed_batch_size_count (\d+)/)).toBeGreaterThan(0);
    expect(value(t, /sift_search_seconds_count\{mode="semantic"\} (\d+)/)).toBe(1);
    expect(value(t, /sift_socket_clients (\d+)/)).toBe(1);
    expect(value(t, /sift_db_pool_connections\{state="total"\} (\d+)/)).toBeGreaterThan(0);
    expect(t).toMatch(/sift_queue_depth\{queue="embed-events"\} \d+/);
    expect(t).toMatch(/sift_process_nodejs_eventloop_lag_p99_seconds \d/);
    expect(value(t, /^sift_embeddings_disabled (\d+)$/m)).toBe(0);

    // The same facts over REST: source state from the relay's reports, gaps from the database.
    const sources = await waitFor('source reported', async () => {
      const r = await getJson(`${sift.url}/sources`);
      return r.body.find?.((s: any) => s.name === 'metrics' && s.state === 'connected') ? r : undefined;
    });
    const metricsSource = sources.body.find((s: any) => s.name === 'metrics');
    expect(metricsSource).toMatchObject({ kind: 'jetstream', gapsRecorded: 1, quarantined: 2, reconnects: 1 });
    // The events are from November 2023: the data is old, the relay is not late — two figures, not one "lag".
    expect(metricsSource.eventAgeSeconds).toBeGreaterThan(365 * 86_400);
    await waitFor('relay caught up', async () => (await getJson(`${sift.url}/sources`)).body.find((s: any) => s.name === 'metrics')?.relayLagSeconds === 0);
    const gaps = await getJson(`${sift.url}/sources/metrics/gaps`);
    expect(gaps.body).toHaveLength(1);
    expect(gaps.body[0]).toMatchObject({ fromCursor: String(1_700_000_000_000_000 + 49 * 1000), toCursor: String(1_700_000_000_000_000 + 100 * 1000), durationMs: 51 });
    expect((await getJson(`${sift.url}/sources/NOT-VALID/gaps`)).status).toBe(400);
    expect(value(t, /^sift_embeddings_active\{model="glove-100d@1",device="cpu"\} (\d+)$/m)).toBe(1);
  });
});
