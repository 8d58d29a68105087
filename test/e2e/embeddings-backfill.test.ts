import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { writeTinyBert, TINY_HIDDEN } from '../support/tiny-bert.js';
import { waitFor } from '../support/wait.js';
import { createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../src/schema.js';
import { embeddingsRepo } from '../support/repos.js';

describe('versioned vectors: a model change re-embeds history through the backfill job', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const models = mkdtempSync(join(tmpdir(), 'sift-models-'));
  let sift: SiftApp | undefined;
  const N = 200;

  beforeAll(async () => {
    db = await createTestDatabase();
    symlinkSync(resolve('models/glove-100d'), join(models, 'glove-100d'));
    writeTinyBert(join(models, 'tiny-bert'));
  });
  afterAll(async () => {
    await sift?.close();
    await db?.drop();
    rmSync(models, { recursive: true, force: true });
  });

  const count = async (sql: string) => (await query(db.url, sql))[0].n as number;
  const boot = (chain: string) =>
    bootSift({ DATABASE_URL: db.url, EMBEDDINGS_MODEL_DIR: models, EMBEDDINGS_CHAIN: chain, EMBED_SWEEP_MS: '300', EMBED_BATCH_SIZE: '32' }, 'api,worker');

  it('keeps each model in its own space, and the new model covers every event after the backfill', async () => {
    sift = await boot('glove-100d');
    await waitFor('ready', async () => (await getJson(`${sift!.url}/health/ready`)).status === 200);
    await query(db.url, `INSERT INTO events (source, source_event_id, author, text, created_at)
      SELECT 't', 'e' || g, 'a', CASE WHEN g % 2 = 0 THEN 'the bitcoin price rally today' ELSE 'rain and weather news' END || ' ' || g, now()
      FROM generate_series(1, ${N}) g`);
    await waitFor('glove covers all', async () => (await count(`SELECT count(*)::int AS n FROM embeddings WHERE model_id = 'glove-100d@1'`)) === N, 30_000);
    await sift.close();

    // Operator upgrades: a transformer model first in the chain, new dims (32 vs 100).
    sift = await boot('tiny-bert,glove-100d');
    const ready = await waitFor('ready with the new model', async () => {
      const r = await getJson(`${sift!.url}/health/ready`);
      return r.status === 200 ? r : undefined;
    });
    const modelId = ready.body.details.embeddings.model as string;
    expect(modelId).toMatch(/^tiny-bert@/);
    expect(ready.body.details.embeddings.dims).toBe(TINY_HIDDEN);

    await waitFor('backfill re-embedded every event', async () => (await count(`SELECT count(*)::int AS n FROM embeddings WHERE model_id = '${modelId}'`)) === N, 60_000);
    const dims = await query(db.url, `SELECT model_id, min(vector_dims(embedding)) AS lo, max(vector_dims(embedding)) AS hi FROM embeddings GROUP BY 1 ORDER BY 1`);
    expect(dims).toEqual([
      { model_id: 'glove-100d@1', lo: 100, hi: 100 },
      { model_id: modelId, lo: TINY_HIDDEN, hi: TINY_HIDDEN },
    ]);
    // Each model has its own partial HNSW index over its own dimension.
    const idx = await query(db.url, `SELECT indexdef FROM pg_indexes WHERE tablename = 'embeddings' AND indexname LIKE 'idx_embeddings_hnsw_%' ORDER BY 1`);
    expect(idx.map((r) => r.indexdef).join('\n')).toMatch(/vector\(100\)[\s\S]*vector\(32\)|vector\(32\)[\s\S]*vector\(100\)/);

    const s = await getJson(`${sift.url}/search?q=bitcoin&mode=semantic&limit=5`);
    expect(s.body).toMatchObject({ mode: 'semantic', model: modelId, coverage: 1 });
    expect(s.body.hits).toHaveLength(5);
    // No parked failures on the way.
    expect(await count(`SELECT count(*)::int AS n FROM embedding_failures`)).toBe(0);
  }, 120_000);
});

describe('EmbeddingsRepository.write (binary vector[] parameter)', () => {
  it('stores float32 values bit for bit, zeroes non-finite values, and never duplicates on a re-run', async () => {
    const db = await createTestDatabase();
    const ds = createDataSource({ url: db.url, migrations: MIGRATIONS });
    try {
      await ds.initialize();
      await runMigrationsLocked(ds);
      const store = embeddingsRepo(ds);
      await store.registerModel({ id: 'm@1', dims: 3, device: 'cpu' }, { m: 32, efConstruction: 200 });
      await ds.query(`INSERT INTO events (source, source_event_id, author, text, created_at) SELECT 't', 'e' || g, 'a', 'x', now() FROM generate_series(1, 3) g`);
      const [a, b] = [Float32Array.of(0.1, -1e-30, 3.4e38), Float32Array.of(Number.NaN, 1 / 3, Number.NEGATIVE_INFINITY)];
      expect(await store.write('m@1', [{ eventId: '1', vector: a }, { eventId: '2', vector: b }])).toBe(2);
      expect(await store.write('m@1', [{ eventId: '2', vector: a }, { eventId: '3', vector: a }])).toBe(1);
      expect(await store.write('m@1', [])).toBe(0);
      expect(await store.vectorOf('m@1', '1')).toEqual(a);
      expect(await store.vectorOf('m@1', '2')).toEqual(Float32Array.of(0, 1 / 3, 0));
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM embeddings`);
      expect(n).toBe(3);
      // Served by the model's HNSW index like any other row.
      expect((await store.nearest({ id: 'm@1', dims: 3 }, a, 1))[0]!.id).toMatch(/^[13]$/);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
