import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.js';
import { getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';

describe('real processes from the built entry point', () => {
  describe('three instances booting at once against one empty database', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    const procs: SiftProcess[] = [];
    const ports = [3411, 3412, 3413];

    beforeAll(async () => {
      db = await createTestDatabase();
      for (const [i, port] of ports.entries()) {
        procs.push(
          spawnSift(
            { DATABASE_URL: db.url, REDIS_URL, REDIS_KEY_PREFIX: `sift-race-${db.name}`, PORT: String(port), EMBEDDINGS_ENABLED: 'false' },
            // Different role sets too: every role runs migrations the same way.
            [['api', 'worker', 'api,worker'][i]!],
          ),
        );
      }
    });

    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
      await db?.drop();
    });

    it('apply the migrations exactly once and all become ready', async () => {
      for (const port of ports) {
        await waitFor(`instance on ${port} ready`, async () => (await getJson(`http://127.0.0.1:${port}/health/ready`)).status === 200, 60_000);
      }
      const rows = await query(db.url, 'SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => (m as any).name));
      const checked = procs.map((p) => p.logs().find((l) => l.msg === 'migrations checked'));
      expect(checked.every(Boolean)).toBe(true);
      const applied = checked.map((l) => l!.appliedCount as number);
      // One instance applied everything; the others waited on the advisory lock and found nothing to do.
      expect(applied.filter((n) => n > 0)).toEqual([MIGRATIONS.length]);
      expect(applied.reduce((a, b) => a + b, 0)).toBe(MIGRATIONS.length);
    });

    it('open only their own roles: an api+worker process runs no relay', async () => {
      const r = await getJson(`http://127.0.0.1:${ports[2]}/health/ready`);
      expect(r.body.details.relay).toBeUndefined();
      expect(r.body.details.embeddings).toMatchObject({ status: 'degraded', disabled: true });
    });
  });

  describe('a relay-only process', () => {
    it('serves health and metrics but no API routes', async () => {
      const db = await createTestDatabase();
      const p = spawnSift({ DATABASE_URL: db.url, PORT: '3414', RELAY_SOURCES: '[{"name":"demo","kind":"replay","rate":100}]' }, ['relay']);
      try {
        await waitFor('relay ready', async () => (await getJson('http://127.0.0.1:3414/health/ready')).status === 200, 60_000);
        expect((await getJson('http://127.0.0.1:3414/metrics')).status).toBe(200);
        expect((await getJson('http://127.0.0.1:3414/events')).status).toBe(404);
        expect((await getJson('http://127.0.0.1:3414/docs-json')).status).toBe(404);
        const ready = await getJson('http://127.0.0.1:3414/health/ready');
        expect(ready.body.details.embeddings).toBeUndefined();
        expect(ready.body.details.relay.sources[0].name).toBe('demo');
      } finally {
        await p.stop();
        await db.drop();
      }
    });
  });

  describe('bad configuration', () => {
    it('stops startup with exit 78 and a message naming each bad var', async () => {
      const p = spawnSift({ DATABASE_URL: 'mysql://nope', PORT: 'eighty', RELAY_BATCH_SIZE: '0' });
      expect(await p.exited).toBe(78);
      const err = p.stderr.join('');
      expect(err).toContain('DATABASE_URL');
      expect(err).toContain('PORT');
      expect(err).toContain('RELAY_BATCH_SIZE');
      expect(err).not.toContain('mysql://nope'); // secrets are never echoed
    });

    it('names a missing required var and an unknown role', async () => {
      const missing = spawnSift({}, ['api']);
      expect(await missing.exited).toBe(78);
      expect(missing.stderr.join('')).toMatch(/DATABASE_URL: is required for split roles \(api\)/);
      const role = spawnSift({ DATABASE_URL: 'postgres://x@127.0.0.1/x' }, ['reley']);
      expect(await role.exited).toBe(78);
      expect(role.stderr.join('')).toContain('reley');
    });
  });
});
