import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { RelayService } from '../../src/relay/relay.service.js';
import { bootSift } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { solanaKeypair } from '../support/keys.js';
import { SealedServer } from '../support/sealed-server.js';
import { waitFor } from '../support/wait.js';

describe('sealed source: wallet auth + AES-256-GCM frames over a real WebSocket', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: SealedServer;
  let url: string;
  let sift: SiftApp | undefined;
  const kp = solanaKeypair();

  const boot = () =>
    bootSift(
      {
        DATABASE_URL: db.url,
        RELAY_SOURCES: JSON.stringify([{ name: 'vault', kind: 'sealed', url: `${url}/` }]),
        RELAY_SEALED_SECRET_KEY: kp.secret,
        RELAY_BACKOFF_BASE_MS: '50',
        RELAY_BACKOFF_MAX_MS: '400',
      },
      'relay',
    );
  const status = () => sift!.app.get(RelayService).status()[0]!;
  const count = async (sql: string) => (await query(db.url, sql))[0].n as number;

  beforeEach(async () => {
    db = await createTestDatabase();
    server = new SealedServer(kp.publicKey);
    url = await server.start();
  });
  afterEach(async () => {
    await sift?.close();
    sift = undefined;
    await server.stop();
    await db.drop();
  });

  it('authenticates, decrypts and stores every post; a restart resumes from the stored cursor without duplicates', async () => {
    server.addPosts(300);
    sift = await boot();
    await waitFor('300 stored', async () => (await count('SELECT count(*)::int AS n FROM events')) === 300);
    const [cur] = await query(db.url, `SELECT cursor FROM source_cursors WHERE source = 'vault'`);
    expect(cur.cursor).toBe('300');
    expect(status().state).toBe('connected');
    await sift.close();

    server.addPosts(200);
    sift = await boot();
    await waitFor('500 stored', async () => (await count('SELECT count(*)::int AS n FROM events')) === 500);
    // The second connection asked to resume at seq 300, so it was sent 201 frames, one of them a dupe.
    expect(await count(`SELECT count(DISTINCT source_event_id)::int AS n FROM events`)).toBe(500);
    expect(status().stats).toMatchObject({ received: 201, stored: 200, duplicates: 1 });
    expect(await count('SELECT count(*)::int AS n FROM quarantine')).toBe(0);
  });

  it('quarantines frames sealed with the wrong key and keeps going', async () => {
    server.addPosts(100);
    server.corruptAfter = 60;
    sift = await boot();
    await waitFor('60 stored + 40 quarantined', async () =>
      (await count('SELECT count(*)::int AS n FROM events')) === 60 &&
      (await count(`SELECT count(*)::int AS n FROM quarantine WHERE reason = 'undecryptable'`)) === 40);
    const [q] = await query(db.url, `SELECT detail, raw_size FROM quarantine LIMIT 1`);
    expect(q.detail).toMatch(/AES-256-GCM open failed/);
    expect(q.raw_size).toBeGreaterThan(28);
  });

  it('backs off when auth is refused instead of hammering, then recovers', async () => {
    server.addPosts(10);
    server.rejectAuth = { status: 401, times: 3 };
    sift = await boot();
    await waitFor('auth-failed state', () => status().state === 'auth-failed');
    expect(status().lastError).toMatch(/401/);
    await waitFor('10 stored after auth is accepted again', async () => (await count('SELECT count(*)::int AS n FROM events')) === 10, 40_000);
    // Three refusals, each followed by a ≥5 s kick delay would take 15 s; bounded attempts prove no hammering.
    expect(server.authAttempts).toBe(4);
  });

  it('names a bad key from the server instead of storing garbage', async () => {
    server.addPosts(5);
    server.keyBytes = 16;
    sift = await boot();
    await waitFor('auth-failed with a key error', () => /decodes to 16 bytes; AES-256-GCM needs 32/.test(status().lastError ?? ''));
    expect(await count('SELECT count(*)::int AS n FROM events')).toBe(0);
  });
});
