import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import type { ServerToClientEvents } from '../../libs/contracts/socket.js';
import { JetstreamAdapter } from '../../src/relay/sources/jetstream.adapter.js';
import { EmbeddingsService } from '../../src/embeddings/embeddings.service.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

const SAMPLE = 'data/sample-posts.ndjson';

/** What the relay should store from the sample: every frame the adapter maps to an event. */
function expectedPosts(): Map<string, string> {
  const adapter = new JetstreamAdapter({ name: 'demo', url: 'ws://x', collections: [], resume: true }, 1 << 20);
  const posts = new Map<string, string>();
  for (const line of readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean)) {
    const r = adapter.parse(Buffer.from(line));
    if (r.kind === 'event') posts.set(r.event.sourceEventId, r.event.text);
  }
  return posts;
}

describe('walking skeleton (all roles, real Postgres + Redis + WebSocket + socket.io)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let socket: Socket<ServerToClientEvents>;
  let semanticSocket: Socket<ServerToClientEvents>;
  const received: StoredEvent[] = [];
  const semanticGot: StoredEvent[] = [];
  const SEMANTIC = { q: 'central bank raising interest rates', threshold: 0.8 };
  const posts = expectedPosts();

  beforeAll(async () => {
    db = await createTestDatabase();
    sift = await bootSift({
      DATABASE_URL: db.url,
      // Paced so the stream is still flowing when the socket.io client joins.
      RELAY_SOURCES: JSON.stringify([{ name: 'demo', kind: 'replay', file: SAMPLE, rate: 600 }]),
    });
    socket = io(sift.url, { transports: ['websocket'], reconnection: false, auth: { key: TEST_ADMIN_KEY } });
    socket.on('events', (batch) => received.push(...batch));
    semanticSocket = io(sift.url, { transports: ['websocket'], reconnection: false, auth: { key: TEST_ADMIN_KEY, subscriptions: [{ semantic: SEMANTIC }] } });
    semanticSocket.on('events', (batch) => semanticGot.push(...batch));
    await waitFor('socket.io connect', () => socket.connected && semanticSocket.connected, 10_000);
  });

  afterAll(async () => {
    socket?.disconnect();
    semanticSocket?.disconnect();
    await sift?.close();
    await db?.drop();
  });

  it('is not ready until migrations and the model are done, then ready with details', async () => {
    const ready = await waitFor('readiness', async () => {
      const r = await getJson(`${sift.url}/health/ready`);
      return r.status === 200 ? r : undefined;
    });
    expect(ready.body.details.migrations.status).toBe('up');
    expect(ready.body.details.embeddings).toMatchObject({ status: 'up', model: 'glove-100d@1', dims: 100, device: 'cpu' });
    expect(ready.body.details.redis.status).toBe('up');
    const live = await getJson(`${sift.url}/health/live`);
    expect(live.status).toBe(200);
  });

  it('stores every post of the replay exactly once, readable over REST with cursor pagination', async () => {
    await waitFor('all sample posts stored', async () => {
      const [{ n }] = await query(db.url, 'SELECT count(*)::int AS n FROM events');
      return n === posts.size;
    }, 60_000);
    const seen = new Map<string, StoredEvent>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: any } = await getJson(`${sift.url}/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      for (const e of r.body.items as StoredEvent[]) {
        expect(seen.has(e.id)).toBe(false);
        seen.set(e.id, e);
      }
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen.size).toBe(posts.size);
    for (const e of seen.values()) expect(posts.get(e.sourceEventId)).toBe(e.text);
    const [{ n: dupes }] = await query(db.url, `SELECT count(*)::int AS n FROM (SELECT source_event_id FROM events GROUP BY 1 HAVING count(*) > 1) d`);
    expect(dupes).toBe(0);
  });

  it('filters by entity, source and author, and serves one event by id', async () => {
    const btc = await getJson(`${sift.url}/events?entity=%24BTC&limit=100`);
    expect(btc.status).toBe(200);
    expect(btc.body.items.length).toBeGreaterThan(0);
    for (const e of btc.body.items) expect(e.entities).toContain('$btc');
    const one = btc.body.items[0] as StoredEvent;
    const byAuthor = await getJson(`${sift.url}/events?author=${encodeURIComponent(one.author)}&source=demo`);
    expect(byAuthor.body.items.every((e: StoredEvent) => e.author === one.author)).toBe(true);
    const got = await getJson(`${sift.url}/events/${one.id}`);
    expect(got.body).toEqual(one);
    expect((await getJson(`${sift.url}/events/999999999`)).status).toBe(404);
    const rates = await getJson(`${sift.url}/events?contains=${encodeURIComponent('INTEREST rates')}&limit=100`);
    expect(rates.body.items.length).toBeGreaterThan(0);
    for (const e of rates.body.items) expect(e.text.toLowerCase()).toContain('interest rates');
    // Wildcards are literal: no post contains "%_%".
    expect((await getJson(`${sift.url}/events?contains=${encodeURIComponent('%_%')}`)).body.items).toEqual([]);
  });

  it('broadcasts stored events to a real socket.io client', async () => {
    await waitFor('events over socket.io', () => received.length > 0);
    const ids = new Set(received.map((e) => e.id));
    expect(ids.size).toBe(received.length); // no event delivered twice
    const sample = received[received.length - 1]!;
    const rest = await getJson(`${sift.url}/events/${sample.id}`);
    expect(rest.body).toEqual(sample);
  });

  it('delivers to a saved semantic subscription only events within its similarity threshold', async () => {
    await waitFor('semantic matches arrive', () => semanticGot.length > 0, 30_000);
    const embeddings = sift.app.get(EmbeddingsService);
    const [q] = await embeddings.embed([SEMANTIC.q]);
    const vs = await embeddings.embed(semanticGot.map((e) => e.text));
    for (const v of vs) expect(v.reduce((s, x, i) => s + x * q![i]!, 0)).toBeGreaterThanOrEqual(SEMANTIC.threshold - 1e-6);
    expect(semanticGot.length).toBeLessThan(received.length / 10);
  });

  it('finds a paraphrase through /search with vectors from the ONNX model', async () => {
    await waitFor('every event embedded', async () => {
      const [{ n }] = await query(db.url, `SELECT count(*)::int AS n FROM embeddings WHERE model_id = 'glove-100d@1'`);
      return n === posts.size;
    }, 60_000);
    const [{ dims }] = await query(db.url, `SELECT vector_dims(embedding) AS dims FROM embeddings LIMIT 1`);
    expect(dims).toBe(100);
    const r = await getJson(`${sift.url}/search?q=${encodeURIComponent('central bank raising interest rates')}&mode=semantic&limit=10`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ mode: 'semantic', model: 'glove-100d@1', fallback: null });
    const texts = (r.body.hits as { event: StoredEvent; score: number }[]).map((h) => h.event.text.toLowerCase());
    expect(texts.some((t) => t.includes('interest rates') || t.includes('hikes rates') || t.includes('rate hike'))).toBe(true);
    const scores = r.body.hits.map((h: { score: number }) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('rejects bad requests with 400 naming the field', async () => {
    const unknown = await getJson(`${sift.url}/events?colour=red`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message.join(' ')).toContain('colour');
    const bad = await getJson(`${sift.url}/events?limit=0&since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(bad.body.message.join(' ')).toMatch(/limit/);
    expect(bad.body.message.join(' ')).toMatch(/since/);
    expect((await getJson(`${sift.url}/search`)).status).toBe(400);
    expect((await getJson(`${sift.url}/events/abc`)).status).toBe(400);
    expect((await getJson(`${sift.url}/events?cursor=bm9wZQ`)).status).toBe(400);
  });

  it('serves Swagger UI and the OpenAPI document', async () => {
    const ui = await fetch(`${sift.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const doc = await getJson(`${sift.url}/docs-json`);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/events', '/events/{id}', '/search', '/health/ready']));
  });

  it('exposes Prometheus metrics that moved with ingest', async () => {
    const res = await fetch(`${sift.url}/metrics`);
    const text = await res.text();
    const m = /sift_relay_events_ingested_total\{source="demo"\} (\d+)/.exec(text);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(posts.size);
  });
});
