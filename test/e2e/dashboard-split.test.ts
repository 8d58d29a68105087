/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser; only `npm run typecheck` sees this file, the build does not.)
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { CHROMIUM, CHROMIUM_ARGS, feedIds, shot } from '../support/browser.js';
import { createTestDatabase, query } from '../support/db.js';
import { REDIS_URL } from '../support/env.js';
import { JetstreamServer } from '../support/jetstream-server.js';
import { spawnSift, type SiftProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';

/**
 * The split production setup, in a real Chromium: relay, api and worker as three processes of the
 * built entry point (shared Postgres + Redis), and the dashboard hosted by a separate static file
 * server on another origin, pointed at the api by its config.json and allowed by API_CORS_ORIGINS.
 * What the all-in-one test cannot show: every figure on the pages must come from state the roles
 * share (bus, database, queue), since the api process itself ingests and embeds nothing.
 */
const RELAY = 'http://127.0.0.1:3451';
const API = 'http://127.0.0.1:3452';
const WORKER = 'http://127.0.0.1:3453';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let js: JetstreamServer;
const procs: SiftProcess[] = [];
let staticServer: Server;
let webDir: string;
let origin: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

describe('dashboard against split roles, hosted on another origin', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_dash_split');
    js = new JetstreamServer({ rate: 20, seed: 11 });
    await js.start();
    js.startStream();

    // The same build as `npm run build` makes, on a plain static server with its own config.json.
    webDir = mkdtempSync(join(tmpdir(), 'sift-web-'));
    cpSync('dist/web', webDir, { recursive: true });
    writeFileSync(join(webDir, 'config.json'), JSON.stringify({ apiUrl: API }));
    const serve = sirv(webDir, { dev: true });
    staticServer = createServer((req, res) => serve(req, res, () => void res.writeHead(404).end()));
    await new Promise<void>((r) => staticServer.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;

    const common = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `sift-dsplit-${db.name}`,
      API_ADMIN_KEY: TEST_ADMIN_KEY,
      API_AUTH: 'off',
      LOG_LEVEL: 'warn',
      EMBED_SWEEP_MS: '2000',
    };
    procs.push(spawnSift({ ...common, PORT: '3451', RELAY_SOURCES: JSON.stringify([{ name: 'jet', kind: 'jetstream', url: js.url, resume: true }]), RELAY_BATCH_LINGER_MS: '20' }, ['relay']));
    procs.push(spawnSift({ ...common, PORT: '3452', API_CORS_ORIGINS: origin, WEB_ENABLED: 'false' }, ['api']));
    procs.push(spawnSift({ ...common, PORT: '3453' }, ['worker']));
    for (const u of [RELAY, API, WORKER]) await waitFor(`${u} ready`, async () => (await getJson(`${u}/health/ready`).catch(() => ({ status: 0 }))).status === 200, 90_000);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' })).newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to|CORS/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all(procs.map((p) => p.stop()));
    await new Promise((r) => staticServer?.close(r));
    await js?.stop();
    await db?.drop();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('the api process serves no dashboard of its own (WEB_ENABLED=false): the static host does', async () => {
    expect((await fetch(`${API}/`)).status).toBe(404);
    expect((await fetch(`${origin}/`)).status).toBe(200);
    const cors = await fetch(`${API}/events?limit=1`, { headers: { origin } });
    expect(cors.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('streams the relay process\'s events on Live through the api process (bus across processes)', async () => {
    await page.goto(`${origin}/#/live`);
    await page.waitForSelector('[data-testid=socket-state][data-state=connected]', { timeout: 20_000 });
    await waitFor('15 events on Live', async () => (await feedIds(page)).length >= 15, 30_000);
    const ids = await feedIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM events WHERE id = ANY($1::bigint[])', [ids]);
    expect(stored[0]!.n).toBe(ids.length);
    await shot(page, 'split-live');
  });

  it('shows the relay\'s source as connected on Sources (relay reports over the bus)', async () => {
    await page.goto(`${origin}/#/sources/jet`);
    await page.waitForSelector('[data-testid=source][data-name=jet][data-state=connected]', { timeout: 20_000 });
  });

  it('searches vectors the worker process wrote, with the api process embedding the query', async () => {
    await waitFor('the worker embedded some events', async () => (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM embeddings'))[0]!.n >= 10, 60_000);
    await page.goto(`${origin}/#/search?q=${encodeURIComponent('market news today')}&mode=semantic`);
    await page.waitForSelector('[data-testid=result-meta][data-mode=semantic]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid=results] .event', { timeout: 20_000 });
    expect(await page.$$eval('[data-testid=results] .event', (els) => els.length)).toBeGreaterThan(0);
  });

  it('shows platform-wide figures on System although this api ingests and embeds nothing itself', async () => {
    await page.goto(`${origin}/#/system`);
    await page.waitForSelector('[data-testid=process]');
    expect(await page.textContent('[data-testid=process]')).toMatch(/this api: api\b/);
    // Ingest rate from the relays' reports, not from this process's counters (which stay at 0 here).
    await page.waitForSelector('[data-testid=ingest]:not([data-points="0"]):not([data-points="1"]) canvas', { timeout: 30_000 });
    await waitFor('a non-zero ingest rate', async () => Number(await page.getAttribute('[data-testid=ingest]', 'data-peak')) > 0, 20_000);
    // Coverage from the database: the worker's vectors over the relay's events.
    await waitFor('coverage shown', async () => /%$/.test((await page.textContent('[data-testid=coverage]'))?.trim() ?? ''), 20_000);
    const coverage = Number((await page.textContent('[data-testid=coverage]'))!.replace('%', ''));
    expect(coverage).toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid=queue]', (els) => els.map((e) => (e as HTMLElement).dataset.name))).toContain('embed-events');
    await shot(page, 'split-system');
  }, 60_000);

  it('raised no page errors, CSP or CORS failures', () => {
    expect(problems).toEqual([]);
  });
});
