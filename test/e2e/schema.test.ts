import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createDataSource, Db, describeSchema, runMigrationsLocked, schemaDrift } from '../../libs/database/index.js';
import { MIGRATIONS, SCHEMA_SNAPSHOT_FILE } from '../../src/schema.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { waitFor } from '../support/wait.js';

describe('schema', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('the migrated schema is the checked-in snapshot (npm run snapshots regenerates it)', async () => {
    const ds = createDataSource({ url: db.url, migrations: MIGRATIONS });
    await ds.initialize();
    try {
      const r = await runMigrationsLocked(ds);
      expect(r.applied).toHaveLength(MIGRATIONS.length);
      const actual = await describeSchema(Db.of(ds));
      expect(schemaDrift(readFileSync(SCHEMA_SNAPSHOT_FILE, 'utf8'), actual)).toEqual([]);
      // The check can fail: a column added by hand shows up as drift.
      await ds.query(`ALTER TABLE events ADD COLUMN drift_probe int`);
      expect(schemaDrift(readFileSync(SCHEMA_SNAPSHOT_FILE, 'utf8'), await describeSchema(Db.of(ds)))).toContainEqual(expect.stringContaining('drift_probe'));
      await ds.query(`ALTER TABLE events DROP COLUMN drift_probe`);
      // And migrations are idempotent to re-run.
      expect((await runMigrationsLocked(ds)).applied).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});

describe('every model in the chain fails', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    sift = await bootSift({ DATABASE_URL: db.url, EMBEDDINGS_CHAIN: 'no-such-model,also-missing' }, 'api,worker');
  });
  afterAll(async () => {
    await sift?.close();
    await db?.drop();
  });

  it('disables embeddings, stays ready with a flag, and /search says it fell back to keyword', async () => {
    const ready = await waitFor('ready', async () => {
      const r = await getJson(`${sift.url}/health/ready`);
      return r.status === 200 ? r : undefined;
    });
    expect(ready.body.details.embeddings).toMatchObject({ status: 'degraded', disabled: true });
    expect(ready.body.details.embeddings.failures.map((f: any) => f.model)).toEqual(['no-such-model', 'also-missing']);
    const s = await getJson(`${sift.url}/search?q=bitcoin`);
    expect(s.status).toBe(200);
    expect(s.body.mode).toBe('keyword');
    expect(s.body.fallback).toMatch(/embeddings disabled/);
    const metrics = await (await fetch(`${sift.url}/metrics`)).text();
    expect(metrics).toMatch(/^sift_embeddings_disabled 1$/m);
  });
});
