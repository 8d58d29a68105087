import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SiftApp } from '../../src/bootstrap.js';
import { createDataSource, Db } from '../../libs/database/index.js';
import { EventsRepository } from '../../src/events/events.repository.js';
import { MIGRATIONS } from '../../src/schema.js';
import { buildModelVariant } from '../../scripts/build-model-variant.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { deleteRedisPrefix } from '../support/redis.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';

/**
 * Model lifecycle against real Postgres + pgvector, a real worker process (killed with SIGKILL
 * mid re-embed) and the `sift models` CLI: promotion of an equal model re-embeds in the
 * background, resumes after the kill and finishes with one vector per (event, model); queries
 * switch only at MODEL_SWITCH_COVERAGE; rollback is immediate; a worse score set is refused.
 */
const EVENTS = 4000;
const THRESHOLD = 0.9;
const ACTIVE_ID = 'glove-100d@1';
const CAND = 'glove-100d-copy';
const CAND_ID = 'glove-100d-copy@1';
const WORDS = 'bitcoin market rain storm football goal phone app pizza coffee election vote music concert movie star river mountain'.split(' ');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let modelDir: string;
let api: SiftApp;
let worker: SiftProcess | undefined;
const prefix = `sift-models-${randomBytes(3).toString('hex')}`;

const workerEnv = () => ({
  DATABASE_URL: db.url,
  REDIS_URL,
  REDIS_KEY_PREFIX: prefix,
  EMBEDDINGS_MODEL_DIR: modelDir,
  LOG_LEVEL: 'warn',
  PORT: '0',
  EMBED_SWEEP_MS: '500',
  MODEL_REEMBED_BATCH: '40',
  MODEL_REEMBED_PAUSE_MS: '40',
  MODEL_REEMBED_LEASE_MS: '1500',
  MODEL_SWITCH_COVERAGE: String(THRESHOLD),
  MODEL_REFRESH_MS: '200',
  DRIFT_INTERVAL: '1h',
});
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/sift.js', 'models', ...args, '--actor', 'test'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', SIFT_ENV_FILE: 'none', ...workerEnv() },
  });
const vectorsOf = async (modelId: string) => (await query<{ n: number; d: number }>(db.url, `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM embeddings WHERE model_id = $1`, [modelId]))[0]!;
const activeName = async () => (await query<{ name: string }>(db.url, `SELECT name FROM models WHERE status = 'active'`))[0]?.name;
const searchModel = async () => (await getJson(`${api.url}/search?q=${encodeURIComponent('bitcoin rain')}&mode=semantic&limit=5`)).body.model as string;
const report = (score: number) => ({ modes: { semantic: { p10: score, ndcg10: score, mrr: score, recall10: score }, hybrid: { p10: score, ndcg10: score, mrr: score, recall10: score } } });

describe('model lifecycle: promotion, kill -9, switch at coverage, rollback, gate', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_models');
    modelDir = mkdtempSync(join(tmpdir(), 'sift-models-'));
    symlinkSync(resolve('models/glove-100d'), join(modelDir, 'glove-100d'));
    buildModelVariant({ from: 'models/glove-100d', out: join(modelDir, CAND), id: CAND_ID });
    buildModelVariant({ from: 'models/glove-100d', out: join(modelDir, 'glove-100d-shuffled'), id: 'glove-100d-shuffled@1', shuffle: true });
    for (const [name, score] of [['good', 0.7], ['worse', 0.4]] as const) writeFileSync(join(modelDir, `${name}.json`), JSON.stringify(report(score)));

    // Stored events, written through the events repository as the relay does.
    const ds = createDataSource({ url: db.url, migrations: MIGRATIONS, poolMax: 2 });
    await ds.initialize();
    await ds.runMigrations();
    const events = new EventsRepository(Db.of(ds));
    for (let b = 0; b < EVENTS / 500; b++) {
      const batch = Array.from({ length: 500 }, (_, i) => {
        const n = b * 500 + i;
        return { source: 'seed', sourceEventId: `s-${n}`, author: `did:plc:a${n % 7}`, text: `${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]} post ${n}`, entities: [], lang: 'en', createdAt: new Date() };
      });
      await events.writeBatch('seed', batch, `c-${b}`);
    }
    await ds.destroy();

    worker = spawnSift(workerEnv(), ['worker']);
    await waitFor('chain model active and fully embedded', async () => (await activeName()) === 'glove-100d' && (await vectorsOf(ACTIVE_ID)).n === EVENTS, 90_000, 200);
    api = await bootSift({ DATABASE_URL: db.url, EMBEDDINGS_MODEL_DIR: modelDir, MODEL_REFRESH_MS: '200', REDIS_KEY_PREFIX: prefix }, 'api');
  }, 150_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await api?.close();
    await db?.drop();
    await deleteRedisPrefix(prefix);
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('refuses to promote a candidate without scores, or with worse scores (with the numbers)', async () => {
    expect(cli('eval', 'glove-100d', '--report', join(modelDir, 'good.json')).status).toBe(0);
    expect(cli('register', 'glove-100d-shuffled').status).toBe(0);
    const unscored = cli('promote', 'glove-100d-shuffled');
    expect(unscored.status).toBe(1);
    expect(unscored.stderr).toMatch(/no evaluation scores/);
    expect(cli('eval', 'glove-100d-shuffled', '--report', join(modelDir, 'worse.json')).status).toBe(0);
    const worse = cli('promote', 'glove-100d-shuffled');
    expect(worse.status).toBe(1);
    expect(worse.stderr).toMatch(/refused: scores below the baseline by more than 0\.02: /);
    expect(worse.stderr).toMatch(/semantic p10 0\.400 < 0\.700/);
    expect((await query(db.url, `SELECT promotion_requested_at FROM models WHERE name = 'glove-100d-shuffled'`))[0].promotion_requested_at).toBeNull();
  });

  it('promotes an equal model: re-embeds in the background, survives kill -9, switches at the coverage threshold', async () => {
    expect(cli('register', CAND).status).toBe(0);
    expect(cli('eval', CAND, '--report', join(modelDir, 'good.json')).status).toBe(0);
    const promoted = cli('promote', CAND);
        expect(promoted.status).toBe(0);

    // Kill the worker mid-way through the re-embed.
    await waitFor('re-embed under way', async () => {
      const { n } = await vectorsOf(CAND_ID);
      return n > EVENTS * 0.1 && n < EVENTS * 0.5;
    }, 60_000, 20);
    worker!.child.kill('SIGKILL');
    await worker!.exited;
    const atKill = (await vectorsOf(CAND_ID)).n;
    expect(atKill).toBeLessThan(EVENTS * THRESHOLD);
    expect(await activeName()).toBe('glove-100d');
    expect(await searchModel()).toBe(ACTIVE_ID);

    // A new worker process resumes once the dead one's claim has expired.
    worker = spawnSift(workerEnv(), ['worker']);
    let sawOldDuringReembed = false;
    let samples = 0;
    await waitFor('queries switched to the candidate', async () => {
      const served = await searchModel();
      const coverageAfter = (await vectorsOf(CAND_ID)).n / EVENTS;
      samples++;
      // Coverage only grows: a search served by the candidate means the switch happened at or
      // below the coverage measured after it, which must have reached the threshold.
      if (served === CAND_ID) expect(coverageAfter).toBeGreaterThanOrEqual(THRESHOLD);
      else if (coverageAfter < THRESHOLD) sawOldDuringReembed = true;
      return served === CAND_ID;
    }, 90_000, 50);
    expect(sawOldDuringReembed).toBe(true);
    expect(samples).toBeGreaterThan(3);

    // The walk finishes: exactly one vector per (event, model), the resumed walk started after the kill's cursor.
    await waitFor('re-embed complete', async () => (await vectorsOf(CAND_ID)).n === EVENTS, 60_000, 200);
    expect(await vectorsOf(CAND_ID)).toEqual({ n: EVENTS, d: EVENTS });
    expect(await vectorsOf(ACTIVE_ID)).toEqual({ n: EVENTS, d: EVENTS }); // the old model's vectors are kept

    const switchRow = (await query(db.url, `SELECT detail FROM model_switches WHERE action = 'switch' AND model = $1`, [CAND]))[0];
    expect(switchRow.detail.coverage).toBeGreaterThanOrEqual(THRESHOLD);
    const { body } = await getJson(`${api.url}/admin/models`);
    expect(body.active).toBe(CAND);
    expect(body.switches.map((s: { action: string }) => s.action).slice(0, 3)).toEqual(['switch', 'promote', 'bootstrap']);
  }, 200_000);

  it('rolls back at once to the previous model, whose vectors were kept; retire removes a model\'s vectors', async () => {
    const r = cli('rollback');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ active: 'glove-100d', previous: CAND });
    expect(await activeName()).toBe('glove-100d');
    // No re-embed needed: the very next refresh of the api's cache serves the old model.
    await waitFor('queries back on the old model', async () => (await searchModel()) === ACTIVE_ID, 5_000, 50);
    expect(await vectorsOf(ACTIVE_ID)).toEqual({ n: EVENTS, d: EVENTS });

    expect(cli('retire', 'glove-100d').stderr).toMatch(/is active/);
    const retired = cli('retire', CAND);
    expect(retired.status).toBe(0);
    expect((await vectorsOf(CAND_ID)).n).toBe(0);
    // Drift view: the api's own query-side signals from the searches above, and a reference re-freeze.
    const drift = await getJson(`${api.url}/admin/drift?limit=10`);
    expect(drift.status).toBe(200);
    expect(drift.body.model).toBe('glove-100d');
    expect(drift.body.querySide.searches).toBeGreaterThan(3);
    expect(drift.body.querySide.medianTop1).toBeGreaterThan(0);
    expect((await getJson(`${api.url}/admin/drift?limit=0`)).status).toBe(400);
    const ref = await getJson(`${api.url}/admin/drift/reference`, { method: 'POST' });
    expect(ref.body).toEqual({ model: 'glove-100d', window: 2000 });
    expect((await getJson(`${api.url}/admin/drift`)).body.referenceAt).not.toBeNull();
    const denied = await getJson(`${api.url}/admin/models`, { key: null });
    expect(denied.status).toBe(401);
  }, 60_000);
});
