import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { getJson } from '../support/app.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';

describe('embedded first run: no DATABASE_URL, no REDIS_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sift-embedded-'));
  let p: SiftProcess | undefined;
  afterAll(async () => {
    await p?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs everything in one process on PGlite and serves REST, socket.io and /search within a bounded time', async () => {
    const started = Date.now();
    // Nothing but a port and a clean data folder: what a newcomer's `npm start` has.
    p = spawnSift({ PORT: '3431', SIFT_DATA_DIR: dataDir });
    const url = 'http://127.0.0.1:3431';
    await waitFor('embedded ready', async () => (await getJson(`${url}/health/ready`, { key: null })).status === 200, 90_000, 250);
    const readyMs = Date.now() - started;
    const logs = p.logs();
    expect(logs.some((l) => /EMBEDDED MODE/.test(l.msg ?? ''))).toBe(true);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);

    const got: StoredEvent[] = [];
    const socket = io(url, { transports: ['websocket'], reconnection: false });
    socket.on('events', (b) => got.push(...b));
    try {
      await waitFor('events over socket.io', () => got.length > 0, 30_000);
      const list = await getJson(`${url}/events?limit=5`, { key: null });
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBe(5);
      const one = await getJson(`${url}/events/${got[0]!.id}`, { key: null });
      expect(one.body.text).toBe(got[0]!.text);
      const hit = await waitFor('semantic search answers', async () => {
        const r = await getJson(`${url}/search?q=${encodeURIComponent('interest rates')}&mode=hybrid`, { key: null });
        return r.status === 200 && r.body.hits.length > 0 && r.body.model ? r : undefined;
      }, 60_000, 500);
      expect(hit.body.mode).toBe('hybrid');
      expect((await fetch(`${url}/docs`)).status).toBe(200);
    } finally {
      socket.disconnect();
    }
    // Bounded, not a performance claim: the whole first run fits well inside this.
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(readyMs).toBeGreaterThan(0);
  }, 180_000);
});
