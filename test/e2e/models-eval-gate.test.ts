import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelVariant } from '../../scripts/build-model-variant.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { spawnSift } from '../support/process.js';
import { deleteRedisPrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

/**
 * The evaluation gate end to end, with nothing stubbed: `sift models eval` runs the relevance
 * harness (the shipped labelled set, loaded into a scratch database through the real write and
 * embed paths, searched through the real SearchService) for the bundled model and for a
 * deliberately degraded copy of it (same vocabulary, word vectors shuffled between words), and
 * the registry then refuses to promote the worse one.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let modelDir: string;
const prefix = `sift-gate-${Date.now().toString(36)}`;
const env = () => ({ DATABASE_URL: db.url, REDIS_URL, REDIS_KEY_PREFIX: prefix, EMBEDDINGS_MODEL_DIR: modelDir, LOG_LEVEL: 'warn', PORT: '0', DRIFT_INTERVAL: '1h' });
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/sift.js', 'models', ...args, '--actor', 'test'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SIFT_ENV_FILE: 'none', ...env() } });

describe('model evaluation gate (real harness, degraded model)', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_gate');
    modelDir = mkdtempSync(join(tmpdir(), 'sift-gate-'));
    symlinkSync(resolve('models/glove-100d'), join(modelDir, 'glove-100d'));
    buildModelVariant({ from: 'models/glove-100d', out: join(modelDir, 'glove-100d-shuffled'), id: 'glove-100d-shuffled@1', shuffle: true });
    // A worker's first boot migrates and records the chain model as the active one.
    const worker = spawnSift(env(), ['worker']);
    try {
      await waitFor('bundled model active', async () => (await query(db.url, `SELECT name FROM models WHERE status = 'active'`).catch(() => []))[0]?.name === 'glove-100d', 90_000, 300);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
    await deleteRedisPrefix(prefix);
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('scores both models with the harness and refuses to promote the degraded one', () => {
    const good = cli('eval', 'glove-100d');
    expect(good.status, good.stderr).toBe(0);
    const goodScores = JSON.parse(good.stdout).scores;
    expect(cli('register', 'glove-100d-shuffled').status).toBe(0);
    const bad = cli('eval', 'glove-100d-shuffled');
    expect(bad.status, bad.stderr).toBe(0);
    const badScores = JSON.parse(bad.stdout).scores;
    // Shuffled word vectors wreck the semantic leg; the keyword leg does not use the model.
    expect(badScores.semantic.ndcg10).toBeLessThan(goodScores.semantic.ndcg10 - 0.05);
    expect(badScores.keyword.ndcg10).toBeCloseTo(goodScores.keyword.ndcg10, 6);
    const promote = cli('promote', 'glove-100d-shuffled');
    expect(promote.status).toBe(1);
    expect(promote.stderr).toMatch(/refused: scores below the baseline/);
    expect(promote.stderr).toMatch(/semantic ndcg10/);
  }, 180_000);
});
