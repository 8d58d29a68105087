import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketAuth } from '../../libs/contracts/socket.js';
import { getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client that records every event it receives (and any duplicate). */
function client(url: string, auth: SocketAuth | (() => SocketAuth)) {
  const got: StoredEvent[] = [];
  const socket: Client = io(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: (cb) => cb(typeof auth === 'function' ? auth() : auth),
  });
  socket.on('events', (batch) => got.push(...batch));
  return { socket, got };
}

describe('api + realtime across processes (relay ×1, api ×2, shared Postgres + Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const procs: SiftProcess[] = [];
  const A = 'http://127.0.0.1:3421';
  const B = 'http://127.0.0.1:3422';
  const sockets: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const common = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `sift-rt-${db.name}`,
      API_ADMIN_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: 'warn',
    };
    procs.push(spawnSift({ ...common, PORT: '3421' }, ['api']));
    procs.push(spawnSift({ ...common, PORT: '3422', API_BODY_LIMIT: '2kb' }, ['api']));
    for (const u of [A, B]) await waitFor(`${u} ready`, async () => (await getJson(`${u}/health/ready`)).status === 200, 60_000);
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(procs.map((p) => p.stop()));
    await db?.drop();
  });

  it('delivers events stored by the relay process to clients on both api instances, filters applied, and replays exactly what a reconnecting client missed', async () => {
    const all = client(B, { key: TEST_ADMIN_KEY });
    const btc = client(B, { key: TEST_ADMIN_KEY, subscriptions: [{ entity: '$BTC' }] });
    let lastSeen: string | undefined;
    const flaky = client(A, () => ({ key: TEST_ADMIN_KEY, lastEventId: lastSeen }));
    sockets.push(all.socket, btc.socket, flaky.socket);
    await waitFor('clients connected', () => all.socket.connected && btc.socket.connected && flaky.socket.connected);

    // The relay starts after the clients listen, as its own process: a 3000-frame replay at ~150/s.
    procs.push(
      spawnSift(
        {
          DATABASE_URL: db.url,
          REDIS_URL,
          REDIS_KEY_PREFIX: `sift-rt-${db.name}`,
          PORT: '3423',
          LOG_LEVEL: 'warn',
          RELAY_SOURCES: JSON.stringify([{ name: 'demo', kind: 'replay', rate: 150 }]),
        },
        ['relay'],
      ),
    );
    await waitFor('flaky client got events', () => flaky.got.length > 20, 60_000);
    lastSeen = flaky.got[flaky.got.length - 1]!.id;
    flaky.socket.disconnect();
    const countAtDisconnect = flaky.got.length;
    await new Promise((r) => setTimeout(r, 10_000)); // offline for 10 s while the stream goes on
    // Reconnect to the *other* api instance: recovery comes from Postgres, not instance memory.
    const back = client(B, { key: TEST_ADMIN_KEY, lastEventId: lastSeen });
    sockets.push(back.socket);
    const recovered = await new Promise<{ count: number; complete: boolean }>((r) => back.socket.once('recovered', r));
    expect(recovered.complete).toBe(true);
    expect(recovered.count).toBeGreaterThan(100);

    const total = await waitFor('replay finished', async () => {
      const [{ n }] = await query(db.url, 'SELECT count(*)::int AS n FROM events');
      return n === 2910 ? n : undefined;
    }, 90_000);
    await waitFor('clients caught up', () => all.got.length === total && flaky.got.length - countAtDisconnect + back.got.length + countAtDisconnect >= total, 20_000);

    const ids = (await query(db.url, 'SELECT id::text AS id FROM events ORDER BY events.id')).map((r) => r.id as string);
    // The firehose client on instance B saw every event, once, in id order.
    expect(all.got.map((e) => e.id)).toEqual(ids);
    // The reconnecting client: before + after the gap = every event, once, in order.
    expect([...flaky.got, ...back.got].map((e) => e.id)).toEqual(ids);
    // The $btc subscriber got exactly the $btc events.
    const btcIds = (await query(db.url, `SELECT id::text AS id FROM events WHERE entities @> ARRAY['$btc'] ORDER BY events.id`)).map((r) => r.id);
    expect(btcIds.length).toBeGreaterThan(10);
    expect(btc.got.map((e) => e.id)).toEqual(btcIds);
  }, 180_000);

  it('subscribes and unsubscribes at runtime with validated filters', async () => {
    const c = client(A, { key: TEST_ADMIN_KEY, subscriptions: [] });
    sockets.push(c.socket);
    await waitFor('connected', () => c.socket.connected);
    const bad = await c.socket.emitWithAck('subscribe', { entity: 'has space' } as never);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/entity must look like/) });
    const unknown = await c.socket.emitWithAck('subscribe', { colour: 'red' } as never);
    expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/unknown filter field/) });
    const ok = await c.socket.emitWithAck('subscribe', { source: 'demo', entity: '#ai' });
    expect(ok.ok).toBe(true);
    expect(await c.socket.emitWithAck('unsubscribe', (ok as { id: string }).id)).toEqual({ ok: true });
    expect(await c.socket.emitWithAck('unsubscribe', 'nope')).toMatchObject({ ok: false });
  });

  it('refuses socket.io handshakes without a valid key', async () => {
    const s: Client = io(A, { transports: ['websocket'], reconnection: false, auth: { key: 'wrong' } });
    const err = await new Promise<Error>((r) => s.once('connect_error', r));
    expect(err.message).toMatch(/unauthorized/);
    s.disconnect();
  });

  describe('security', () => {
    it('401 without a key or with a revoked key, 403 with the wrong scope', async () => {
      expect((await getJson(`${A}/events`, { key: null })).status).toBe(401);
      const created = await getJson(`${A}/admin/keys`, { method: 'POST', body: JSON.stringify({ name: 'reader', scopes: ['read'] }) });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect((await getJson(`${B}/events?limit=1`, { key })).status).toBe(200);
      const s = await getJson(`${B}/search?q=btc`, { key });
      expect(s.status).toBe(403);
      expect(s.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: [expect.stringMatching(/search/)] });
      expect((await getJson(`${A}/admin/keys`, { key })).status).toBe(403);
      const listed = await getJson(`${A}/admin/keys`);
      expect(listed.body.find((k: any) => k.id === created.body.id)).not.toHaveProperty('key');
      expect((await getJson(`${A}/admin/keys/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
      // Revocation reaches the other instance at once (its cache is dropped over the bus).
      await waitFor('revoked on B', async () => (await getJson(`${B}/events?limit=1`, { key })).status === 401, 5_000);
      expect((await getJson(`${A}/events?limit=1`, { key })).status).toBe(401);
    });

    it('429 with Retry-After once a key spends its budget, counted across both instances', async () => {
      const { body } = await getJson(`${A}/admin/keys`, { method: 'POST', body: JSON.stringify({ name: 'tight', scopes: ['read'], rateLimitPerMin: 6 }) });
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof getJson>> | undefined;
      for (let i = 0; i < 8; i++) {
        last = await getJson(`${i % 2 ? A : B}/events?limit=1`, { key: body.key });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.headers.get('ratelimit-remaining')).toBe('0');
      expect(last!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    });

    it('413 for an oversized body, 400 naming the field for malformed params and bodies', async () => {
      const big = await getJson(`${B}/admin/keys`, { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(5000), scopes: ['read'] }) });
      expect(big.status).toBe(413);
      expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      const badScope = await getJson(`${A}/admin/keys`, { method: 'POST', body: JSON.stringify({ name: 'x', scopes: ['root'] }) });
      expect(badScope.status).toBe(400);
      expect(badScope.body.message.join(' ')).toMatch(/scope must be one of/);
      const badJson = await getJson(`${A}/admin/keys`, { method: 'POST', body: '{"name":' });
      expect(badJson.status).toBe(400);
      const badLimit = await getJson(`${A}/events?limit=-3`);
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.message.join(' ')).toMatch(/limit/);
    });

    it('SQL-ish and unicode garbage in every text param is a 4xx or a correct empty result, never a 5xx', async () => {
      const texts = ["' OR 1=1 --", '"; DROP TABLE events; --', '\u0000\u0001', '😀'.repeat(300), '%%%', '$btc\'); SELECT pg_sleep(5); --', 'ＡＢＣ', '\u202e\u200b', 'a'.repeat(5000)];
      // Already percent-encoded, including byte sequences that are not valid UTF-8 (a lone surrogate, 0xFF).
      const nasty = [...texts.map(encodeURIComponent), '%ED%A0%80', '%FF%FE', '%C0%AF'];
      const params = ['source', 'author', 'entity', 'contains', 'since', 'until', 'cursor', 'limit'];
      for (const v of nasty) {
        for (const p of params) {
          const r = await getJson(`${A}/events?${p}=${v}`);
          expect(r.status, `${p}=${v.slice(0, 30)}`).toBeLessThan(500);
          if (r.status === 200) expect(r.body.items).toEqual([]);
        }
        for (const mode of ['semantic', 'keyword']) {
          const r = await getJson(`${A}/search?mode=${mode}&q=${v}`);
          expect(r.status, `search ${mode} q=${v.slice(0, 30)}`).toBeLessThan(500);
        }
        expect((await getJson(`${A}/events/${v}`)).status).toBeLessThan(500);
      }
      const [{ n }] = await query(db.url, `SELECT count(*)::int AS n FROM events`);
      expect(n).toBeGreaterThan(0); // the table survived
    });

    it('sends security headers and echoes X-Request-Id', async () => {
      const r = await getJson(`${A}/events?limit=1`, { headers: { 'x-request-id': 'trace-123' } });
      expect(r.headers.get('x-request-id')).toBe('trace-123');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      const gen = await getJson(`${A}/events?limit=1`);
      expect(gen.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
