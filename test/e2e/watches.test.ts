import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_SINK, type Alert, type AlertSink } from '../../libs/contracts/alerts.js';
import { Db } from '../../libs/database/index.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { SIFT_CONFIG } from '../../src/core/tokens.js';
import { EmbeddingsRepository } from '../../src/embeddings/embeddings.repository.js';
import { ModelsService } from '../../src/models/models.service.js';
import { WatchEvaluator } from '../../src/watches/watch.evaluator.js';
import { WatchesRepository } from '../../src/watches/watches.repository.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { JetstreamServer, tid } from '../support/jetstream-server.js';
import { waitFor } from '../support/wait.js';
import { listenForAlerts, type SiftSocket } from '../support/alert-listener.js';

type Client = SiftSocket;

/** A hand-made jetstream post frame with the given text. */
let seq = 0;
function postFrame(text: string) {
  const i = seq++;
  const timeUs = Date.now() * 1000 + i;
  const did = `did:plc:watchauthor${String(i % 7).padStart(14, '0')}`;
  return JSON.stringify({
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: { rev: tid(timeUs, 1), operation: 'create', collection: 'app.bsky.feed.post', rkey: tid(timeUs, i % 1024), record: { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString(), langs: ['en'] }, cid: `bafy${i}` },
  });
}
const QUAKE = ['earthquake tsunami warning after strong quake hits the coast', 'magnitude 7 earthquake aftershock collapsed buildings rescue', 'tsunami evacuation after the earthquake, survivors in shelters'];
const WEATHER = ['sunny weekend forecast with warm temperature', 'rain and cloudy skies tomorrow, cold wind', 'summer heat wave continues this week'];

describe('watches end to end (real app, jetstream source through the relay, worker evaluation, socket.io)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let js: JetstreamServer;
  const sockets: Client[] = [];
  const listen = (key: string) => listenForAlerts(sift.url, key, sockets);
  const stored = async () => (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM events'))[0]!.n;
  /** Every stored event has been evaluated (the cursor reached the newest id). */
  const caughtUp = async () => (await query<{ ok: boolean }>(db.url, 'SELECT coalesce((SELECT last_event_id FROM watch_cursor), 0) >= coalesce((SELECT max(id) FROM events), 0) AS ok'))[0]!.ok;
  const watchAlerts = async () => query<{ owner_key_id: string; detail: any; title: string }>(db.url, `SELECT owner_key_id, detail, title FROM alerts WHERE kind = 'watch' ORDER BY raised_at`);
  async function feed(texts: string[]) {
    const before = await stored();
    js.sendRaw(texts.map(postFrame));
    await waitFor('fed events stored', async () => (await stored()) >= before + texts.length, 30_000);
    await waitFor('fed events evaluated', caughtUp, 60_000);
  }
  const key = async (name: string) => {
    const r = await getJson(`${sift.url}/admin/keys`, { method: 'POST', body: JSON.stringify({ name, scopes: ['read'] }) });
    expect(r.status).toBe(201);
    return { key: r.body.key as string, id: (r.body.id ?? r.body.keyId) as string };
  };
  const post = (k: string, body: unknown) => getJson(`${sift.url}/watches`, { method: 'POST', key: k, body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase('sift_watches');
    js = new JetstreamServer({ rate: 10, seed: 5 });
    await js.start();
    sift = await bootSift({ DATABASE_URL: db.url, EMBED_SWEEP_MS: '200', WATCH_INTERVAL_MS: '200', RELAY_SOURCES: JSON.stringify([{ name: 'jet', kind: 'jetstream', url: js.url }]) });
    await waitFor('ready', async () => (await getJson(`${sift.url}/health/ready`)).status === 200, 60_000);
  }, 90_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await sift?.close();
    await js?.stop();
    await db?.drop();
  });

  it('refuses bad watches with clear 4xx and a query with no known words with the reason', async () => {
    const a = await key('validator');
    expect((await post(a.key, { query: 'earthquake' })).status).toBe(400);
    expect((await post(a.key, { name: 'x', query: 'earthquake', minSimilarity: 2 })).status).toBe(400);
    expect((await post(a.key, { name: 'x', query: 'earthquake', mode: 'fuzzy' })).status).toBe(400);
    expect((await post(a.key, { name: 'x', query: 'earthquake', minMatches: 0 })).status).toBe(400);
    expect((await post(a.key, { name: 'x', query: 'earthquake', bogus: 1 })).status).toBe(400);
    expect((await post(a.key, { name: 'x'.repeat(101), query: 'earthquake' })).status).toBe(400);
    expect((await post(a.key, { name: 'x', query: 'q'.repeat(501) })).status).toBe(400);
    const unknown = await post(a.key, { name: 'gibberish', query: 'zxqvbn qwpfgj' });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toMatch(/embeds to nothing/);
    expect((await post(a.key, { name: 'punct', query: '!!!', mode: 'keyword' })).status).toBe(422);
    expect((await getJson(`${sift.url}/watches/not-a-uuid`, { key: a.key })).status).toBe(400);
    expect((await getJson(`${sift.url}/watches`, { key: a.key })).body.watches).toEqual([]);
  });

  it('fires once for a matching burst, never for non-matching traffic, to its owner only; a count trigger fires at n within the window', async () => {
    const a = await key('quake-watcher');
    const b = await key('football-watcher');
    const qa = await post(a.key, { name: 'quakes', query: 'earthquake tsunami', minSimilarity: 0.6, cooldownSeconds: 3600 });
    expect(qa.status).toBe(201);
    const fb = await post(b.key, { name: 'football x5', query: 'football', mode: 'keyword', minMatches: 5, windowSeconds: 600, cooldownSeconds: 3600 });
    expect(fb.status).toBe(201);
    // Ownership: B does not see or delete A's watch; A lists only its own.
    expect((await getJson(`${sift.url}/watches/${qa.body.id}`, { key: b.key })).status).toBe(404);
    expect((await getJson(`${sift.url}/watches/${qa.body.id}`, { key: b.key, method: 'DELETE' })).status).toBe(404);
    expect((await getJson(`${sift.url}/watches`, { key: a.key })).body.watches.map((w: any) => w.id)).toEqual([qa.body.id]);
    expect((await getJson(`${sift.url}/watches`)).body.watches).toHaveLength(2); // admin sees all

    const sa = listen(a.key);
    const sb = listen(b.key);
    await waitFor('sockets connected', () => sa.socket.connected && sb.socket.connected);

    await feed(Array.from({ length: 60 }, (_, i) => WEATHER[i % WEATHER.length]!));
    expect(await watchAlerts()).toEqual([]);

    await feed(Array.from({ length: 300 }, (_, i) => QUAKE[i % QUAKE.length]!));
    await waitFor('quake alert on A socket', () => sa.got.length >= 1);
    const quake = (await watchAlerts()).filter((r) => r.detail.watchId === qa.body.id);
    expect(quake).toHaveLength(1);
    expect(quake[0]!.owner_key_id).toBe(a.id);
    expect(quake[0]!.detail.count).toBeGreaterThan(1);
    expect(sb.got).toEqual([]);

    // More quakes during the cooldown: still one alert.
    await feed(Array.from({ length: 100 }, (_, i) => QUAKE[i % QUAKE.length]!));
    expect((await watchAlerts()).filter((r) => r.detail.watchId === qa.body.id)).toHaveLength(1);

    await feed(['football match tonight', 'great football goal', 'football season starts', 'football coach fired']);
    expect((await watchAlerts()).filter((r) => r.detail.watchId === fb.body.id)).toEqual([]);
    await feed(['football fans celebrate']);
    await waitFor('football alert on B socket', () => sb.got.length >= 1);
    const foot = (await watchAlerts()).filter((r) => r.detail.watchId === fb.body.id);
    expect(foot).toHaveLength(1);
    expect(foot[0]!.detail.count).toBe(5);
    expect(sb.got[0]!.kind).toBe('watch');
    expect(sa.got.every((x) => x.detail.watchId === qa.body.id)).toBe(true);
    expect((await getJson(`${sift.url}/alerts`, { key: b.key })).body.alerts.map((x: Alert) => x.id)).toEqual([sb.got[0]!.id]);

    // Pause, then delete.
    expect((await getJson(`${sift.url}/watches/${fb.body.id}`, { key: b.key, method: 'PATCH', body: JSON.stringify({ paused: true }) })).body.paused).toBe(true);
    expect((await getJson(`${sift.url}/watches/${fb.body.id}`, { key: b.key, method: 'DELETE' })).status).toBe(204);
    expect((await getJson(`${sift.url}/watches/${fb.body.id}`, { key: b.key })).status).toBe(404);
  }, 240_000);

  it('evaluates 1,000 watches with the same number of statements per batch as 10', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const evalDb = new Db(pool);
    const repo = new WatchesRepository(evalDb);
    const models = sift.app.get(ModelsService, { strict: false });
    const evaluator = new WatchEvaluator(sift.app.get(SIFT_CONFIG, { strict: false }), repo, new EmbeddingsRepository(evalDb), models, sift.app.get<AlertSink>(ALERT_SINK, { strict: false }));
    const model = (await models.forQueries())!;
    const queries = ['volcano eruption lava', 'election vote president', 'bank interest rates', 'movie premiere actor', 'virus vaccine hospital'];
    const [vectors] = [await model.embed(queries)];
    const addWatches = async (n: number) => {
      for (let i = 0; i < n; i++) await repo.create(null, { name: `w${i}`, query: queries[i % 5]!, mode: 'semantic', entity: null, source: null, author: null, minSimilarity: 0.99, minMatches: 1, windowMs: 60_000, cooldownMs: 60_000 }, { modelId: model.id, vector: vectors[i % 5]! });
    };
    const statementsFor = async () => {
      await query(db.url, `UPDATE watch_cursor SET last_event_id = 0`);
      let n = 0;
      evalDb.tap = () => n++;
      const events = await evaluator.evaluateBatch();
      expect((await repo.cursor()) !== '0').toBe(true);
      evalDb.tap = undefined;
      expect(events).toBeGreaterThan(100);
      return n;
    };
    if ((await stored()) < 200) await feed(Array.from({ length: 200 }, (_, i) => WEATHER[i % WEATHER.length]!));
    await waitFor('every event embedded', async () => (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM embeddings m WHERE m.event_id = e.id)'))[0]!.n === 0, 60_000);
    // Stop the app's own evaluator so it does not move the shared cursor meanwhile.
    await sift.app.get(WatchEvaluator, { strict: false }).onApplicationShutdown();
    await query(db.url, `UPDATE watches SET paused = true`);
    await addWatches(10);
    const ten = await statementsFor();
    await addWatches(990);
    expect((await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM watches WHERE NOT paused'))[0]!.n).toBe(1000);
    const thousand = await statementsFor();
    console.log(`[watches] statements per batch: 10 watches ${ten}, 1000 watches ${thousand}`);
    expect(thousand).toBe(ten);
    await pool.end();
  }, 120_000);
});
