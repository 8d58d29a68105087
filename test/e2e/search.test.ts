import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

/** A small controlled corpus: targets plus distractors that pull each single mode the wrong way. */
const CORPUS = [
  // rare exact term buried in unrelated chatter: keyword finds it, a vector of the whole post does not
  ['rare', 'long day at work, traffic was awful, dinner with friends later, then the football game on tv, also bought a tangerine'],
  ['c1', 'fresh oranges and lemons at the market today, citrus season is here'],
  ['c2', 'clementine and grapefruit salad with a little honey'],
  ['c3', 'lime and orange juice every morning keeps me going'],
  ['c4', 'mandarin oranges are the best winter fruit'],
  ['c5', 'lemon tart recipe with candied citrus peel'],
  ['c6', 'the fruit stall had pomelos, oranges and limes'],
  // paraphrase with no shared words: semantic finds it, keyword cannot
  ['para', 'the fed hiked borrowing costs again'],
  ['k1', 'my interest in painting grew this year'],
  ['k2', 'bank holiday weekend plans with the kids'],
  ['k3', 'raising chickens in the backyard is rewarding'],
  ['k4', 'exchange rates at the airport are terrible'],
  ['k5', 'central park was lovely this morning'],
  ['o1', 'new phone battery lasts two days'],
  ['o2', 'watched a documentary about whales'],
] as const;

describe('search: hybrid vs semantic vs keyword, similar, versioned vectors', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  const idOf = new Map<string, string>();

  beforeAll(async () => {
    db = await createTestDatabase();
    // A keyword cap below the last test's match count (and above every other query's), so the cap is exercised.
    sift = await bootSift({ DATABASE_URL: db.url, EMBED_SWEEP_MS: '300', SEARCH_KEYWORD_MAX_MATCHES: '10' }, 'api,worker');
    await waitFor('ready', async () => (await getJson(`${sift.url}/health/ready`)).status === 200);
    for (const [key, text] of CORPUS) {
      const [row] = await query(db.url, `INSERT INTO events (source, source_event_id, author, text, created_at) VALUES ('t', $1, 'a', $2, now()) RETURNING id::text AS id`, [key, text]);
      idOf.set(key, row.id);
    }
    // Nothing enqueued these rows: the worker's sweep finds and embeds them.
    await waitFor('corpus embedded', async () => (await query(db.url, `SELECT count(*)::int AS n FROM embeddings`))[0].n === CORPUS.length, 60_000);
  });
  afterAll(async () => {
    await sift?.close();
    await db?.drop();
  });

  const top = async (q: string, mode: string, n = 5) => {
    const r = await getJson(`${sift.url}/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=${n}`);
    expect(r.status).toBe(200);
    expect(r.body.mode).toBe(mode);
    return r.body as { hits: { event: { id: string }; score: number; semantic: number | null; keyword: number | null }[]; model: string | null; coverage: number | null };
  };
  const ids = (r: Awaited<ReturnType<typeof top>>) => r.hits.map((h) => h.event.id);

  it('hybrid finds an exact rare term that semantic-only misses', async () => {
    // An ordinary word whose meaning many short posts share: the one post naming it exactly is
    // outranked by the citrus crowd in vector space, but keyword search pins it.
    expect(ids(await top('tangerine', 'semantic'))).not.toContain(idOf.get('rare'));
    expect(ids(await top('tangerine', 'keyword'))[0]).toBe(idOf.get('rare'));
    const hybrid = await top('tangerine', 'hybrid');
    expect(ids(hybrid)).toContain(idOf.get('rare'));
    const hit = hybrid.hits.find((h) => h.event.id === idOf.get('rare'))!;
    expect(hit.keyword).toBeGreaterThan(0);
    expect(hybrid.model).toBe('glove-100d@1');
    expect(hybrid.coverage).toBe(1);
  });

  it('hybrid finds a paraphrase that keyword-only misses', async () => {
    const q = 'central bank raising interest rates';
    expect(ids(await top(q, 'keyword', 20))).not.toContain(idOf.get('para'));
    expect(ids(await top(q, 'semantic'))).toContain(idOf.get('para'));
    // Keyword now matches any term, so the four posts sharing one word each come first (the
    // keyword leg weighs more, as tuned by eval:search); the paraphrase follows them.
    const hybrid = await top(q, 'hybrid', 10);
    expect(ids(hybrid)).toContain(idOf.get('para'));
    expect(hybrid.hits.find((h) => h.event.id === idOf.get('para'))!.semantic).toBeGreaterThan(0.5);
  });

  it('scores are ordered and filters apply', async () => {
    const r = await top('oranges', 'hybrid', 10);
    const scores = r.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const none = await getJson(`${sift.url}/search?q=oranges&source=elsewhere`);
    expect(none.body.hits).toEqual([]);
  });

  it('filters by entity in every mode (case-insensitive), and refuses a malformed one', async () => {
    const tagged = ids(await top('oranges', 'hybrid', 10)).slice(0, 2);
    await query(db.url, `UPDATE events SET entities = ARRAY['$zest'] WHERE id = ANY($1::bigint[])`, [tagged]);
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const r = await getJson(`${sift.url}/search?q=oranges&mode=${mode}&entity=${encodeURIComponent('$ZEST')}&limit=10`);
      expect(r.status).toBe(200);
      expect(r.body.hits.length, mode).toBeGreaterThan(0);
      expect(r.body.hits.every((h: any) => tagged.includes(h.event.id) && h.event.entities.includes('$zest')), mode).toBe(true);
    }
    const bad = await getJson(`${sift.url}/search?q=oranges&entity=${encodeURIComponent('<b>x</b>')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['entity must look like $btc, #ai, @alice.bsky.social or example.com']);
  });

  it('GET /events/:id/similar returns the nearest other events by the same model', async () => {
    const r = await getJson(`${sift.url}/events/${idOf.get('c1')}/similar?limit=3`);
    expect(r.status).toBe(200);
    const got = r.body.hits.map((h: any) => h.event.id);
    expect(got).not.toContain(idOf.get('c1'));
    const citrus = ['c2', 'c3', 'c4', 'c5', 'c6'].map((k) => idOf.get(k));
    expect(got.filter((id: string) => citrus.includes(id)).length).toBeGreaterThanOrEqual(2);
    expect((await getJson(`${sift.url}/events/999999/similar`)).status).toBe(404);
  });

  it('searches only vectors of the active model', async () => {
    // A foreign model's vectors (other dims) in the same table never show up or break the query.
    await query(db.url, `INSERT INTO embedding_models (id, dims, device) VALUES ('other-3d@1', 3, 'cpu')`);
    await query(db.url, `INSERT INTO embeddings (event_id, model_id, embedding) SELECT id, 'other-3d@1', '[1,0,0]' FROM events`);
    const r = await top('oranges', 'semantic', 20);
    expect(r.hits.length).toBe(CORPUS.length);
    expect(new Set(ids(r)).size).toBe(CORPUS.length);
  });
  it('keyword search finds the best match of a common term even with more matches than SEARCH_KEYWORD_MAX_MATCHES', async () => {
    // An older post that ranks above everything else, then 12 newer weaker matches: 14 of 28
    // posts match (with 'rare'), cap 10. The old newest-first cap ranked only the newest 10 and
    // lost the strong post; candidates are now walked shortest-first, as BM25 favours short posts.
    const ins = async (key: string, text: string) =>
      (await query(db.url, `INSERT INTO events (source, source_event_id, author, text, created_at) VALUES ('t', $1, 'a', $2, now()) RETURNING id::text AS id`, [key, text]))[0].id as string;
    const strong = await ins('tg-strong', 'tangerine tangerine tangerine, tangerine again');
    const weak: string[] = [];
    for (let i = 0; i < 12; i++) weak.push(await ins(`tg${i}`, `one tangerine in a longer post about the weather and other things, number ${i}`));
    const [{ n }] = await query(db.url, `SELECT count(*)::int AS n FROM events WHERE text_tsv @@ to_tsquery('english', 'tangerine')`);
    expect(n).toBeGreaterThan(10); // more matches than the candidate cap
    await query(db.url, `ANALYZE events`);
    const r = await top('tangerine', 'keyword', 5);
    expect(ids(r)[0]).toBe(strong);
    expect(r.hits.map((h) => h.score)).toEqual([...r.hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('a sentence query finds posts that share only some of its terms', async () => {
    const r = await top('does anyone know why the exchange rates at airports are so bad these days', 'keyword', 5);
    expect(ids(r)[0]).toBe(idOf.get('k4')); // shares exchange, rates, airport — not every word
    expect(ids(r)).not.toContain(idOf.get('o2'));
  });

  it('quoted phrases, -exclusions and OR constrain keyword matches', async () => {
    const phrase = await top('"exchange rates" bank', 'keyword', 20);
    expect(ids(phrase)).toEqual([idOf.get('k4')]);
    const excluded = await top('oranges -lemons', 'keyword', 20);
    expect(ids(excluded)).not.toContain(idOf.get('c1')); // the one orange post that names lemons
    expect(ids(excluded)).toEqual(expect.arrayContaining([idOf.get('c4'), idOf.get('c6')]));
    const either = await top('"exchange rates" OR "bank holiday"', 'keyword', 20);
    expect(new Set(ids(either))).toEqual(new Set([idOf.get('k4'), idOf.get('k2')]));
    const nul = await getJson(`${sift.url}/search?q=${encodeURIComponent('a\u0000b')}&mode=keyword`);
    expect(nul.status).toBe(400);
    const huge = await getJson(`${sift.url}/search?q=${'word '.repeat(2100)}&mode=keyword`);
    expect(huge.status).toBe(400);
    expect(JSON.stringify(huge.body)).toContain('at most 2000 characters');
    const long = await top(Array.from({ length: 60 }, (_, i) => `term${i} exchange`).join(' ').slice(0, 1900), 'keyword', 5);
    expect(ids(long)).toContain(idOf.get('k4'));
  });
});
