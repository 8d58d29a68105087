import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { JetstreamServer } from '../support/jetstream-server.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { PrivateRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';

/**
 * Split roles (relay, api, worker as processes) on a private redis-server that the test stops and
 * starts again: while Redis is away the api answers without a 5xx from it (rate limits fall back
 * to a per-instance limit; readiness says 503), and afterwards the bus and the queues resume by
 * themselves with nothing lost.
 */
const RELAY = 'http://127.0.0.1:3461';
const API = 'http://127.0.0.1:3462';
const WORKER = 'http://127.0.0.1:3463';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: PrivateRedis;
let js: JetstreamServer;
const procs: SiftProcess[] = [];
let socket: Socket;
const received = new Map<string, number>();

describe('Redis restart under split roles', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_redis_restart');
    redis = new PrivateRedis();
    await redis.start();
    js = new JetstreamServer({ rate: 40, seed: 5 });
    await js.start();
    js.startStream();
    const common = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'sift-rr',
      API_ADMIN_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: 'warn',
      EMBED_SWEEP_MS: '2000',
    };
    procs.push(spawnSift({ ...common, PORT: '3461', RELAY_SOURCES: JSON.stringify([{ name: 'jet', kind: 'jetstream', url: js.url, resume: true }]), RELAY_BATCH_LINGER_MS: '20' }, ['relay']));
    procs.push(spawnSift({ ...common, PORT: '3462' }, ['api']));
    procs.push(spawnSift({ ...common, PORT: '3463' }, ['worker']));
    for (const u of [RELAY, API, WORKER]) await waitFor(`${u} ready`, async () => (await getJson(`${u}/health/ready`).catch(() => ({ status: 0 }))).status === 200, 90_000);
    socket = io(API, { transports: ['websocket'], auth: { key: TEST_ADMIN_KEY }, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    socket.on('events', (batch: StoredEvent[]) => {
      for (const e of batch) received.set(e.id, (received.get(e.id) ?? 0) + 1);
    });
  }, 150_000);

  afterAll(async () => {
    socket?.disconnect();
    await Promise.all(procs.map((p) => p.stop()));
    await js?.stop();
    await redis?.close();
    await db?.drop();
  });

  it('answers every API request during the outage without a 5xx caused by Redis, then resumes bus and queues', async () => {
    await waitFor('live events before the outage', () => received.size >= 20, 30_000);

    const maxId = async () => Number((await query<{ m: string }>(db.url, 'SELECT coalesce(max(id),0)::text AS m FROM events'))[0]!.m);
    const idAtStop = await maxId();
    await redis.stop({ save: true });
    const statuses = new Map<string, number[]>();
    const probe = async (path: string) => {
      // A request that hangs is as bad as a 500: give each 3 s.
      const r = await getJson(`${API}${path}`, { signal: AbortSignal.timeout(3000) }).catch(() => ({ status: 0, body: null, headers: new Headers() }));
      statuses.set(path, [...(statuses.get(path) ?? []), r.status]);
      return r;
    };
    const paths = ['/events?limit=5', '/search?q=market&mode=keyword', '/search?q=market', '/sources', '/system', '/trends', '/health/live', '/metrics'];
    const until = Date.now() + 6000;
    let ready503 = 0;
    while (Date.now() < until) {
      await Promise.all(paths.map(probe));
      if ((await getJson(`${API}/health/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => ({ status: 0 }))).status === 503) ready503++;
    }
    const fivexx = [...statuses].flatMap(([p, s]) => s.filter((x) => x >= 500 || x === 0).map((x) => `${p} → ${x}`));
    expect(fivexx).toEqual([]);
    expect(ready503).toBeGreaterThan(0); // readiness tells the load balancer the truth meanwhile

    const idBefore = await maxId();
    // The relay kept storing meanwhile: Redis carries only its broadcasts and embed jobs.
    expect(idBefore).toBeGreaterThan(idAtStop + 40);
    await redis.start();
    await waitFor('api ready again', async () => (await getJson(`${API}/health/ready`)).status === 200, 30_000);
    // The bus resumed: events stored after the restart reach the socket client on the api.
    await waitFor('live events after the restart', () => [...received.keys()].some((id) => Number(id) > idBefore + 20), 30_000);
    // The queues resumed: the worker embeds everything the relay stored, before and after.
    await waitFor('every stored event embedded', async () => {
      const [r] = await query<{ missing: number }>(db.url, 'SELECT count(*)::int AS missing FROM events e WHERE NOT EXISTS (SELECT 1 FROM embeddings m WHERE m.event_id = e.id)');
      return r!.missing === 0;
    }, 60_000);
    // Nothing doubled: one vector per (event, model), each live event delivered once.
    const [dupes] = await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM (SELECT event_id FROM embeddings GROUP BY event_id, model_id HAVING count(*) > 1) d');
    expect(dupes!.n).toBe(0);
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);
  }, 180_000);
});
