/**
 * Shared by `bench/embed.ts` and `bench/search.ts`: realistic post events from the sample
 * generator (parsed by the real Jetstream adapter, so texts and entities are what the relay
 * would store), bulk loading of events and vectors with COPY (setup, never timed), the product's
 * embeddings chain built outside Nest, search-like query texts, and latency statistics.
 */
import pg from 'pg';
import { loadConfig } from '../../libs/config/index.js';
import { DEFAULT_START_TIME_US, generateSample } from '../../scripts/generate-sample.js';
import { EmbeddingsService, defaultModelLoaders } from '../../src/embeddings/embeddings.service.js';
import { pgTextArray } from '../../src/events/events.repository.js';
import { JetstreamAdapter } from '../../src/relay/sources/jetstream.adapter.js';
import { copyFrom, encodeCopyText } from './pg-copy.js';
import { mulberry32 } from '../../libs/common/random.js';
const POST_MARK = '"operation":"create","collection":"app.bsky.feed.post"';
/** Events generated per generator call: each call gets its own seed and start time, so a large corpus is not one seed stretched thin. */
export const GEN_CHUNK = 50_000;
/**
 * Config as the api + worker roles would load it from the environment (bench env wins over
 * defaults); the database URL is a placeholder, benches bring their own connections.
 */
export function benchConfig(extra = {}) {
    return loadConfig({ ...process.env, DATABASE_URL: 'postgres://placeholder@127.0.0.1/x', SIFT_ENV_FILE: 'none', ...extra }, 'api,worker');
}
/**
 * `count` post events (exactly), generated `GEN_CHUNK` at a time with seeds `seed`, `seed+1`, …
 * and consecutive start times. `sourceEventId`s are prefixed with the seed, so corpora from
 * different seeds never collide on the (source, source_event_id) key.
 */
export function* postEventChunks(count, seed, source = 'bench') {
    const adapter = new JetstreamAdapter({ name: source, url: 'ws://bench.invalid', collections: [], resume: true }, 1 << 20);
    let made = 0;
    for (let k = 0; made < count; k++) {
        const want = Math.min(GEN_CHUNK, count - made);
        const s = seed + k;
        // ~3% of generated lines are not posts; ask for a little more and cut.
        const lines = generateSample({ count: Math.ceil(want * 1.06) + 50, seed: s, startTimeUs: DEFAULT_START_TIME_US + k * 4 * 3_600_000_000 });
        const out = [];
        for (const line of lines) {
            if (!line.includes(POST_MARK))
                continue;
            const r = adapter.parse(Buffer.from(line));
            if (r.kind !== 'event')
                continue;
            out.push({ ...r.event, sourceEventId: `s${s}:${r.event.sourceEventId}` });
            if (out.length === want)
                break;
        }
        if (out.length < want)
            throw new Error(`generator gave ${out.length} posts for seed ${s}, wanted ${want}`);
        made += out.length;
        yield out;
    }
}
export function postEvents(count, seed) {
    return [...postEventChunks(count, seed)].flat();
}
export async function withClient(url, fn) {
    const c = new pg.Client({ connectionString: url, application_name: 'sift-bench-load' });
    c.on('error', () => undefined);
    await c.connect();
    try {
        return await fn(c);
    }
    finally {
        await c.end();
    }
}
/** COPY into `events` (ids come from the identity column). Returns the rows copied. */
export function copyEvents(c, events) {
    const rows = events.map((e) => [e.source, e.sourceEventId, e.author, e.text, pgTextArray(e.entities), e.lang ?? null, e.createdAt.toISOString()]);
    return copyFrom(c, `COPY events (source, source_event_id, author, text, entities, lang, created_at) FROM STDIN`, encodeCopyText(rows));
}
/**
 * COPY into `embeddings` in binary format (pgvector's binary form: int16 dims, int16 unused,
 * float4 big-endian each): the float32 values land bit for bit, with no text formatting.
 */
export function copyVectors(c, modelId, rows) {
    const model = Buffer.from(modelId, 'utf8');
    const chunks = [];
    const header = Buffer.alloc(19);
    header.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
    header.writeInt32BE(0, 11);
    header.writeInt32BE(0, 15);
    chunks.push(header);
    for (let i = 0; i < rows.length; i += 512) {
        const part = rows.slice(i, i + 512);
        const size = part.reduce((a, r) => a + 2 + 4 + 8 + 4 + model.length + 4 + 4 + 4 * r.vector.length, 0);
        const b = Buffer.alloc(size);
        let o = 0;
        for (const r of part) {
            o = b.writeInt16BE(3, o);
            o = b.writeInt32BE(8, o);
            o = b.writeBigInt64BE(BigInt(r.eventId), o);
            o = b.writeInt32BE(model.length, o);
            o += model.copy(b, o);
            o = b.writeInt32BE(4 + 4 * r.vector.length, o);
            o = b.writeInt16BE(r.vector.length, o);
            o = b.writeInt16BE(0, o);
            for (let d = 0; d < r.vector.length; d++)
                o = b.writeFloatBE(r.vector[d], o);
        }
        chunks.push(b.subarray(0, o));
    }
    const trailer = Buffer.alloc(2);
    trailer.writeInt16BE(-1, 0);
    chunks.push(trailer);
    return copyFrom(c, `COPY embeddings (event_id, model_id, embedding) FROM STDIN (FORMAT binary)`, chunks);
}
/**
 * The product's embeddings chain (EmbeddingsService with the real model loaders, so the bundled
 * model is loaded by loadGloveProvider exactly as the api and worker load it), without Nest.
 */
export async function startEmbeddings(cfg) {
    const service = new EmbeddingsService(cfg, defaultModelLoaders, { probe: async () => ({ cuda: false, detail: 'bench: cpu only' }) });
    service.onApplicationBootstrap();
    await service.settled;
    const model = service.active;
    if (!model)
        throw new Error(`embeddings did not load: ${JSON.stringify(service.status)} (run \`npm run build:model\`?)`);
    return { service, model };
}
// ------------------------------------------------------------------------------------------------
// Queries
/** Deterministic PRNG for query sampling (the shared mulberry32). */
export const prng = mulberry32;
const STOP = new Set('the and for that this with from have just what when your about into they them then than been were will would there their which while some more most very really like dont cant its im ive youre thats here only also over after before because still even much many every'.split(' '));
/**
 * Search-box queries drawn from held-out posts (a seed the corpus never used): one content word
 * (30%), a 2–4 word span (40%), a cashtag/hashtag of the post (15%, else a span), or the whole
 * post (15%, the "more like this" shape).
 */
export function makeQueries(n, seed) {
    const rnd = prng(seed);
    const posts = postEvents(Math.ceil(n * 1.2) + 20, seed);
    const out = [];
    for (const e of posts) {
        if (out.length >= n)
            break;
        const words = e.text.toLowerCase().split(/[^a-z'-]+/).filter((w) => w.length >= 3 && !STOP.has(w) && /^[a-z]/.test(w));
        const tags = e.text.match(/[$#][A-Za-z][A-Za-z0-9_]*/g) ?? [];
        const r = rnd();
        if (r < 0.15 || words.length === 0) {
            out.push({ q: e.text.slice(0, 500), kind: 'post' });
        }
        else if (r < 0.3 && tags.length) {
            out.push({ q: tags[Math.floor(rnd() * tags.length)], kind: 'tag' });
        }
        else if (r < 0.6) {
            out.push({ q: words[Math.floor(rnd() * words.length)], kind: 'word' });
        }
        else {
            const len = 2 + Math.floor(rnd() * 3);
            const start = Math.floor(rnd() * Math.max(1, words.length - len + 1));
            const span = words.slice(start, start + len);
            out.push({ q: span.join(' '), kind: span.length > 1 ? 'phrase' : 'word' });
        }
    }
    if (out.length < n)
        throw new Error(`made ${out.length} queries, wanted ${n}`);
    return out;
}
// ------------------------------------------------------------------------------------------------
// Statistics
/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
    if (!xs.length)
        return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export function latencyStats(ms) {
    return {
        n: ms.length,
        p50: percentile(ms, 50),
        p90: percentile(ms, 90),
        p99: percentile(ms, 99),
        max: ms.length ? Math.max(...ms) : NaN,
        mean: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : NaN,
    };
}
export const log = (msg) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
//# sourceMappingURL=search-fixture.js.map