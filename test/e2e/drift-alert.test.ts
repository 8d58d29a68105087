import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

/**
 * Drift monitoring end to end in a running Sift (worker's drift job every second, the real alert
 * path): a stationary stream over many windows raises nothing; a topic shift in the stream raises
 * one `drift` alert, stored, and listed by GET /alerts.
 */
const TOPICS = [
  'bitcoin price market stocks trading investors rally crash shares bank inflation rates dollar economy fund'.split(' '),
  'football match goal team season coach league player score win championship fans stadium injury transfer'.split(' '),
  'rain storm sunny forecast temperature snow wind cloudy heat weekend cold weather summer winter flood'.split(' '),
  'phone app software update apple google release device computer launch code developers chip screen battery'.split(' '),
];
const SHIFT = 'earthquake tsunami evacuation rescue magnitude aftershock collapsed buildings survivors emergency shelters coast quake damage victims'.split(' ');
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const post = (words: string[]) => Array.from({ length: 10 }, () => words[Math.floor(rand() * words.length)]!).join(' ');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sift: SiftApp;
let n = 0;
async function insert(count: number, shifted: boolean) {
  const texts = Array.from({ length: count }, () => post(shifted ? SHIFT : TOPICS[Math.floor(rand() * TOPICS.length)]!));
  await query(db.url, `INSERT INTO events (source, source_event_id, author, text, created_at) SELECT 'd', 'd-' || ($2::int + i), 'a', t, now() FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i)`, [texts, n]);
  n += count;
}
const embedded = async () => (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM embeddings'))[0]!.n;
const windows = async () => (await query<{ n: number; alerts: number }>(db.url, 'SELECT count(*)::int AS n, count(*) FILTER (WHERE alerted)::int AS alerts FROM model_drift'))[0]!;
const driftAlerts = async () => query<{ title: string }>(db.url, `SELECT title FROM alerts WHERE kind = 'drift'`);

describe('drift alert through a running worker', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_drift');
    sift = await bootSift({ DATABASE_URL: db.url, EMBED_SWEEP_MS: '300', DRIFT_INTERVAL: '1s', DRIFT_WINDOW: '300', DRIFT_ALERT_WINDOWS: '3' }, 'api,worker');
    await waitFor('ready', async () => (await getJson(`${sift.url}/health/ready`)).status === 200);
  });
  afterAll(async () => {
    await sift?.close();
    await db?.drop();
  });

  it('stays quiet on a stationary stream, then alerts once the topic shifts', async () => {
    await insert(600, false);
    await waitFor('stationary events embedded', async () => (await embedded()) === n, 60_000);
    // Keep the stream stationary while at least 8 windows are compared with the frozen reference.
    const start = (await windows()).n;
    while ((await windows()).n < start + 8) {
      await insert(100, false);
      await new Promise((r) => setTimeout(r, 700));
    }
    const quiet = await query<{ drifted: number }>(db.url, 'SELECT count(*) FILTER (WHERE drifted)::int AS drifted FROM model_drift');
    console.log(`[drift] stationary: ${(await windows()).n} windows compared, ${quiet[0]!.drifted} drifted`);
    expect(quiet[0]!.drifted).toBe(0);
    expect((await windows()).alerts).toBe(0);
    expect(await driftAlerts()).toEqual([]);

    // A new topic takes over the stream: the newest-300 window becomes mostly earthquake posts.
    await insert(300, true);
    await waitFor('shifted events embedded', async () => (await embedded()) === n, 60_000);
    await waitFor('drift alert raised', async () => (await driftAlerts()).length > 0, 30_000).catch(async (err) => {
      console.log(JSON.stringify(await query(db.url, 'SELECT id, model, drifted, streak, alerted, at FROM model_drift ORDER BY id DESC LIMIT 40')));
      throw err;
    });
    const alerts = await driftAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toMatch(/embedding drift on glove-100d: 3 windows in a row/);
    const listed = await getJson(`${sift.url}/alerts`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('embedding drift on glove-100d');
  }, 150_000);
});
