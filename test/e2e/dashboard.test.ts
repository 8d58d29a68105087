/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (page.evaluate callbacks run in the browser; only `npm run typecheck` sees this file, the build does not.)
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { CHROMIUM, CHROMIUM_ARGS, feedIds, shot as saveShot } from '../support/browser.js';
import { createTestDatabase, query } from '../support/db.js';
import { JetstreamServer, tid } from '../support/jetstream-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';

/**
 * The dashboard in a real Chromium against a real Sift (relay + api + worker in one process, its own
 * Postgres database) fed by a local Jetstream server. The browser reaches Sift through a TCP proxy,
 * so the test can cut the network under the page and watch it reconnect.
 */
const HOSTILE = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> hostile $btc';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let js: JetstreamServer;
let sift: SiftApp;
let proxy: TcpProxy;
let browser: Browser;
let page: Page;
let base: string;
const problems: string[] = [];

/** Records when each event row first appears in the DOM (page clock = wall clock on this machine). */
const OBSERVE = () => {
  const seen: Record<string, number> = {};
  (window as any).__seen = seen;
  new MutationObserver((muts) => {
    const now = performance.timeOrigin + performance.now();
    for (const m of muts)
      for (const n of m.addedNodes)
        if (n instanceof HTMLElement) {
          const rows = n.matches('.event[data-id]') ? [n] : [...n.querySelectorAll<HTMLElement>('.event[data-id]')];
          for (const r of rows) seen[r.dataset.id!] ??= now;
        }
  }).observe(document, { childList: true, subtree: true });
};

const shot = (name: string, p: Page = page, fullPage = false) => saveShot(p, name, { fullPage });

function hostileFrame(i: number) {
  const timeUs = Date.now() * 1000 + i;
  const did = 'did:plc:hostileauthor00000000000';
  const rkey = tid(timeUs, 900 + i);
  return JSON.stringify({
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: tid(timeUs, 1),
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey,
      record: { $type: 'app.bsky.feed.post', text: HOSTILE, createdAt: new Date().toISOString(), langs: ['en'] },
      cid: `bafyreihostile${i}`,
    },
  });
}

describe('dashboard in a real browser', () => {
  beforeAll(async () => {
    db = await createTestDatabase('sift_dash');
    js = new JetstreamServer({ rate: 20, seed: 7 });
    await js.start();
    js.startStream();
    sift = await bootSift(
      {
        DATABASE_URL: db.url,
        API_AUTH: 'off',
        RELAY_SOURCES: JSON.stringify([{ name: 'jet', kind: 'jetstream', url: js.url, resume: true }]),
        RELAY_BACKOFF_BASE_MS: '300',
        RELAY_BACKOFF_MAX_MS: '1500',
        MOMENTUM_INTERVAL: '2s',
        MOMENTUM_MIN_COUNT: '2',
        MOMENTUM_MIN_Z: '0',
        MOMENTUM_MIN_SCORE: '0',
        EMBED_SWEEP_MS: '2000',
        REDIS_KEY_PREFIX: `sift-dash-${db.name}`,
      },
      'all',
    );
    proxy = TcpProxy.for(sift.url);
    await proxy.start();
    base = `http://127.0.0.1:${proxy.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    await ctx.addInitScript(OBSERVE);
    page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await proxy?.stop();
    await sift?.close().catch(() => undefined);
    await js?.stop();
    await db?.drop();
  });

  it('serves the app at / with a strict CSP, no-cache index, immutable precompressed assets; the API and /docs still answer', async () => {
    const index = await fetch(`${sift.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self'");
    const html = await index.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${sift.url}/${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public,max-age=31536000,immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    const gz = await fetch(`${sift.url}/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${sift.url}/config.json`)).headers.get('cache-control')).toBe('no-cache');
    expect((await getJson(`${sift.url}/events?limit=1`)).status).toBe(200);
    expect((await fetch(`${sift.url}/docs-json`)).status).toBe(200);
    expect((await fetch(`${sift.url}/docs`)).status).toBe(200);
    expect((await fetch(`${sift.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${sift.url}/assets/nope.js`)).status).toBe(404);
  });

  it('shows stored events on Live within a second of being stored', async () => {
    await page.goto(`${base}/#/live`);
    await page.waitForSelector('[data-testid=socket-state][data-state=connected]');
    await waitFor('20 events on Live', async () => (await feedIds(page)).length >= 20, 30_000);
    const seen: Record<string, number> = await page.evaluate(() => (window as any).__seen);
    const ids = Object.keys(seen);
    const rows = await query<{ id: string; ingested_at: Date }>(db.url, `SELECT id::text, ingested_at FROM events WHERE id = ANY($1::bigint[])`, [ids]);
    const lat = rows.map((r) => seen[r.id]! - r.ingested_at.getTime()).sort((a, b) => a - b);
    console.log(`[dashboard] stored→visible over ${lat.length} events: p50 ${lat[Math.floor(lat.length / 2)]} ms, max ${lat.at(-1)} ms`);
    expect(lat.length).toBeGreaterThanOrEqual(20);
    expect(lat.at(-1)!).toBeLessThan(1000);
    expect(await page.textContent('[data-testid=rate]')).toMatch(/events\/s/);
    await shot('live');
  });

  it('after a dropped connection reconnects, replays the gap once (marker, no duplicates, nothing missing)', async () => {
    const before = await feedIds(page);
    proxy.cut();
    await page.waitForSelector('[data-testid=socket-down]', { timeout: 15_000 });
    await shot('live-reconnecting');
    await new Promise((r) => setTimeout(r, 3000)); // events go on being stored meanwhile
    proxy.restore();
    const marker = await page.waitForSelector('[data-testid=recovered]', { timeout: 20_000 });
    expect(Number(await marker.getAttribute('data-count'))).toBeGreaterThan(20);
    await page.waitForSelector('[data-testid=socket-state][data-state=connected]');
    await new Promise((r) => setTimeout(r, 1500));
    const after = await feedIds(page);
    expect(new Set(after).size).toBe(after.length);
    // Everything stored between the oldest shown and the newest shown is on the page, once.
    const lo = after.at(-1)!;
    const hi = after[0]!;
    const stored = await query<{ id: string }>(db.url, `SELECT id::text FROM events WHERE id BETWEEN $1 AND $2 ORDER BY events.id DESC`, [lo, hi]);
    expect(after).toEqual(stored.map((r) => r.id));
    expect(after.length).toBeGreaterThan(before.length);
    // The marker sits where the gap began: right above the last event received before the cut.
    // The list is virtualised (only rows near the viewport are in the DOM): bring the marker into
    // view first, or the row below it may not be rendered when it sits at the viewport's edge.
    await page.evaluate(() => document.querySelector('[data-testid=recovered]')!.scrollIntoView({ block: 'center' }));
    await new Promise((r) => setTimeout(r, 300));
    const order = await page.$$eval('[data-testid=feed] > *', (els) => els.map((e) => (e as HTMLElement).dataset.id ?? 'marker'));
    const from = (await marker.getAttribute('data-from'))!;
    expect(order[order.indexOf('marker') + 1]).toBe(from);
    expect(BigInt(from) >= BigInt(before[0]!)).toBe(true);
    expect(await page.$('[data-testid=socket-down]')).toBeNull();
    await page.evaluate(() => document.querySelector('[data-testid=recovered]')!.scrollIntoView({ block: 'center' }));
    await shot('live-recovered');
    await page.evaluate(() => window.scrollTo(0, 0));
  }, 90_000);

  it('renders hostile event text literally and never runs it', async () => {
    js.sendRaw([hostileFrame(1)]);
    await waitFor('hostile event on Live', () => page.evaluate((t) => [...document.querySelectorAll('.event .text')].some((e) => e.textContent === t), HOSTILE), 15_000);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.$$('[data-testid=feed] img, [data-testid=feed] script')).toHaveLength(0);
    // The same text through search results and an entity's recent events.
    await page.goto(`${base}/#/search?q=hostile&mode=keyword`);
    await waitFor('hostile search hit', () => page.evaluate((t) => [...document.querySelectorAll('.event .text')].some((e) => e.textContent === t), HOSTILE), 15_000);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.$$('main img, main script')).toHaveLength(0);
  });

  it('searches in each mode and renders scored results, then finds similar events', async () => {
    await waitFor('vectors for stored events', async () => (await getJson(`${sift.url}/search?q=quick+brown+fox&mode=semantic`)).body?.hits?.length > 0, 60_000, 500);
    for (const mode of ['hybrid', 'semantic', 'keyword'] as const) {
      await page.goto(`${base}/#/search?q=${encodeURIComponent('quick brown fox')}&mode=${mode}`);
      await page.waitForSelector(`[data-testid=result-meta][data-mode=${mode}]`, { timeout: 15_000 });
      await page.waitForSelector('[data-testid=results] .event .score');
      const n = await page.$$eval('[data-testid=results] .event', (e) => e.length);
      expect(n, mode).toBeGreaterThan(0);
      if (mode === 'hybrid') await shot('search');
    }
    // The entity filter, typed into the form: every result mentions the entity.
    await page.goto(`${base}/#/search?q=${encodeURIComponent('quick brown fox')}&mode=hybrid`);
    await page.waitForSelector('[data-testid=results] .event');
    await page.fill('[data-testid=entity-filter]', '$BTC');
    await page.click('form button[type=submit]');
    await page.waitForURL(/entity=/);
    await page.waitForSelector('[data-testid=result-meta]');
    await waitFor('filtered results rendered', async () => (await page.$$eval('[data-testid=results] .event', (e) => e.length)) > 0, 15_000);
    const filtered = await page.$$eval('[data-testid=results] .event', (els) => els.map((e) => (e as HTMLElement).dataset.id!));
    const rows = await query<{ id: string; entities: string[] }>(db.url, 'SELECT id::text, entities FROM events WHERE id = ANY($1::bigint[])', [filtered]);
    expect(rows.length).toBe(filtered.length);
    expect(rows.every((r) => r.entities.includes('$btc'))).toBe(true);
    await page.click('[data-testid=results] .event .similar');
    await page.waitForURL(/similar=/);
    await page.waitForSelector('[data-testid=results] .event');
  });

  it('draws the trends leaderboard and an entity chart (canvas has the series colour)', async () => {
    await page.goto(`${base}/#/trends`);
    await page.waitForSelector('[data-testid=leaderboard] tbody tr', { timeout: 30_000 });
    await page.goto(`${base}/#/trends/${encodeURIComponent('$btc')}`);
    await page.waitForSelector('[data-testid=chart] canvas', { timeout: 15_000 });
    await page.waitForSelector('[data-testid=entity-detail] .event');
    const painted = await waitFor(
      'series pixels on the chart',
      () =>
        page.evaluate(() => {
          const c = document.querySelector<HTMLCanvasElement>('[data-testid=chart] canvas')!;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          // --accent (light scheme) is #3f6ff0; uPlot strokes the series with it.
          for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && Math.abs(d[i]! - 63) < 30 && Math.abs(d[i + 1]! - 111) < 30 && Math.abs(d[i + 2]! - 240) < 30) n++;
          return n > 50 ? n : 0;
        }),
      15_000,
    );
    expect(painted).toBeGreaterThan(50);
    await shot('trends');
  });

  it('shows a source that drops as reconnecting on Sources, then connected again', async () => {
    await page.goto(`${base}/#/sources/jet`);
    await page.waitForSelector('[data-testid=source][data-name=jet][data-state=connected]', { timeout: 15_000 });
    js.rejectNext(503, {}, 6);
    js.dropAll('terminate');
    const card = await page.waitForSelector('[data-testid=source][data-name=jet]:is([data-state=connecting],[data-state=backing-off])', { timeout: 15_000 });
    expect(await card.$eval('[data-testid=source-state]', (e) => e.textContent)).toMatch(/reconnecting/);
    await shot('sources');
    js.clearRejections();
    await page.waitForSelector('[data-testid=source][data-name=jet][data-state=connected]', { timeout: 30_000 });
  }, 60_000);

  it('shows readiness per indicator, the model and metrics on System', async () => {
    await page.goto(`${base}/#/system`);
    await page.waitForSelector('[data-testid=indicator][data-name=database][data-status=up]');
    await page.waitForSelector('[data-testid=ingest]:not([data-points="0"]):not([data-points="1"]):not([data-points="2"]) canvas', { timeout: 30_000 });
    expect(await page.textContent('main')).toContain('glove-100d');
    // Per-route latency from this api's request histogram: the page's own polls are requests too.
    const row = await page.waitForSelector('[data-testid=route][data-route="GET /system"]', { timeout: 15_000 });
    const cells = await row.$$eval('td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(Number(cells[1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    for (const q of cells.slice(4, 7)) expect(q).toMatch(/^[\d.,]+ ms$/);
    await shot('system', page, true);
  });

  it('shows this deployment\'s usage on Usage: by route, over time, and per-key totals', async () => {
    await page.goto(`${base}/#/usage`);
    // The counters reach the database every USAGE_FLUSH_INTERVAL (5 s); the page polls.
    await page.waitForSelector('[data-testid=usage-route][data-route^="GET /"]', { timeout: 40_000 });
    await page.waitForSelector('[data-testid=usage-admin-key]');
    await page.waitForSelector('.chart canvas');
    expect(Number((await page.textContent('[data-testid=usage-requests]'))!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=usage-cost]')).toMatch(/^\$\d+\.\d{9}$/);
    await shot('usage');
  });

  it('shows a banner while the API is unreachable and recovers by itself', async () => {
    await page.goto(`${base}/#/sources`);
    await page.waitForSelector('[data-testid=source]');
    proxy.cut();
    await page.waitForSelector('[data-testid=api-down]', { timeout: 10_000 });
    expect(await page.$$('[data-testid=source]')).not.toHaveLength(0); // stale data stays, never blank
    proxy.restore();
    await page.waitForSelector('[data-testid=api-down]', { state: 'detached', timeout: 15_000 });
  });

  it('is usable at phone width and in dark mode', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', deviceScaleFactor: 2 });
    const p = await ctx.newPage();
    await p.goto(`${base}/#/live`);
    await p.waitForSelector('[data-testid=feed] .event', { timeout: 15_000 });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('live-phone-dark', p);
    await p.goto(`${base}/#/briefs`);
    await p.waitForSelector('[data-testid=coming]');
    await ctx.close();
  });

  it('shows the model registry on the Models page (the worker records the chain model as active)', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${base}/#/models`);
    const row = await p.waitForSelector('[data-testid=model][data-name="glove-100d"][data-status=active]', { timeout: 20_000 });
    expect(await row.textContent()).toContain('glove-100d@1');
    await ctx.close();
  });

  it('asks for an API key when keys are required, keeps it out of the URL, and then streams', async () => {
    const api = await bootSift({ DATABASE_URL: db.url, API_AUTH: 'required', DB_MIGRATIONS_RUN: 'false', REDIS_KEY_PREFIX: `sift-dash-${db.name}` }, 'api');
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 700 }, colorScheme: 'light' });
    const p = await ctx.newPage();
    try {
      await p.goto(`${api.url}/#/live`);
      await p.waitForSelector('[data-testid=key-prompt]', { timeout: 15_000 });
      await shot('key-prompt', p);
      await p.fill('#apikey', TEST_ADMIN_KEY);
      await p.click('[data-testid=key-prompt] button[type=submit]');
      await p.waitForSelector('[data-testid=socket-state][data-state=connected]', { timeout: 15_000 });
      await p.waitForSelector('[data-testid=feed] .event', { timeout: 15_000 });
      expect(p.url()).not.toContain(TEST_ADMIN_KEY);
      expect(await p.evaluate(() => sessionStorage.getItem('sift.key'))).toBe(TEST_ADMIN_KEY);
      expect(await p.evaluate(() => localStorage.getItem('sift.key'))).toBeNull();
      await p.goto(`${api.url}/#/sources`);
      await p.waitForSelector('[data-testid=source]');
    } finally {
      await ctx.close();
      await api.close();
    }
  }, 60_000);

  it('raised no page errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
