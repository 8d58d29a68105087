/**
 * `npm run bench:api` — requests/s and latency of the read API under load (autocannon).
 *
 *   node dist/bench/api.js [--events 50000] [--connections 10] [--duration 10] [--warmup 2]
 *                          [--only events,entity,keyword,semantic,hybrid] [--quiet-wait 120] [--quick]
 *
 * - A fresh database `sift_bench_api_<random>` (dropped at the end) and Redis namespace.
 * - Sift `api` runs as its own process (`node dist/src/main.js api`, Redis-backed rate limiting
 *   and search budget as in production; limits raised far above what the bench sends, so the
 *   figures are the server's and not the limiter's refusals). It applies the migrations.
 * - Seed: `--events` posts from the project's sample generator (realistic texts, entities,
 *   authors), inserted directly with SQL (`INSERT … SELECT FROM unnest`, 5k per statement), then
 *   a `worker` process embeds them with the bundled model (its startup sweep), and is stopped
 *   before the load starts, so it does not share the CPU with the measurement.
 * - A key with scopes read+search; then, one endpoint at a time: a warm-up run, then a measured
 *   autocannon run (programmatic API, in this process) with `--connections` keep-alive connections:
 *     GET /events?limit=50 · GET /events?entity=$btc · GET /search?q=…&mode=keyword ·
 *     GET /search?q=…&mode=semantic · GET /search?q=… (hybrid, the default)
 *   Search queries rotate over a fixed list (so no one query is served from a warm cache only).
 *   Before and after each search run a spot check confirms the mode asked for is the mode served
 *   (no silent keyword fallback).
 * - Reports req/s, p50/p90/p99/max latency, non-2xx and errors, and the CPU each process used.
 *   Autocannon, the api process, Postgres and Redis share this machine's cores.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { DEFAULT_START_TIME_US, generateSample, PARAPHRASE_GROUPS } from '../scripts/generate-sample.js';
import { extractEntities } from '../src/relay/extract-entities.js';
import { benchSiftEnv, CpuMeter, createDatabase, createKey, gitRevision, pgQuery, redisNamespace, runBench, sleep, startSift, waitForQuiet, } from './lib/bench-env.js';
import { emitReport, fmt, parseFlags, positiveNumberFlag } from './lib/report.js';
import pg from 'pg';
const autocannon = createRequire(import.meta.url)('autocannon');
const flags = parseFlags();
const QUICK = flags.has('quick');
const num = (name, dflt) => positiveNumberFlag(flags, name, dflt);
const EVENTS = Math.round(num('events', QUICK ? 10_000 : 50_000));
const CONNECTIONS = Math.round(num('connections', 10));
const DURATION_S = num('duration', QUICK ? 3 : 10);
const WARMUP_S = num('warmup', QUICK ? 1 : 2);
const QUIET_WAIT_S = num('quiet-wait', 120);
const log = (msg) => process.stderr.write(`[bench:api] ${msg}\n`);
/** Semantic / hybrid queries: the sample generator's paraphrases (each has near-duplicates in the data). */
const SENTENCE_QUERIES = PARAPHRASE_GROUPS.flat().slice(0, 48);
/** Keyword queries: short terms, as people type them. */
const KEYWORD_QUERIES = [
    'bitcoin', 'interest rates', 'flight cancelled', 'rain', 'puppy', 'openai', 'stock market', 'rust', 'coffee prices', 'layoffs',
    'heatwave', 'rent', 'remote work', 'electric cars', 'earthquake', 'video game', 'train delayed', 'gas fees', 'nvidia', 'wildfire smoke',
    'marathon', 'inflation', 'battery life', 'championship',
];
const ENDPOINTS = [
    { key: 'events', label: 'GET /events?limit=50', paths: ['/events?limit=50'] },
    { key: 'entity', label: 'GET /events?entity=$btc', paths: ['/events?entity=%24btc'] },
    { key: 'keyword', label: 'GET /search?q=…&mode=keyword', paths: KEYWORD_QUERIES.map((q) => `/search?mode=keyword&q=${encodeURIComponent(q)}`), mode: 'keyword' },
    { key: 'semantic', label: 'GET /search?q=…&mode=semantic', paths: SENTENCE_QUERIES.map((q) => `/search?mode=semantic&q=${encodeURIComponent(q)}`), mode: 'semantic' },
    { key: 'hybrid', label: 'GET /search?q=… (hybrid)', paths: SENTENCE_QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`), mode: 'hybrid' },
];
function seedRows(n) {
    const rows = [];
    const seen = new Set();
    let count = Math.ceil(n * 1.3) + 100;
    for (;;) {
        rows.length = 0;
        seen.clear();
        for (const line of generateSample({ count, seed: 11, startTimeUs: DEFAULT_START_TIME_US })) {
            const f = JSON.parse(line);
            const c = f.commit;
            if (f.kind !== 'commit' || c?.operation !== 'create' || c.collection !== 'app.bsky.feed.post' || typeof c.record?.text !== 'string')
                continue;
            const sid = `${f.did}/${c.collection}/${c.rkey}`;
            if (seen.has(sid))
                continue;
            seen.add(sid);
            const text = String(c.record.text).replace(/\u0000/g, '').slice(0, 10_000);
            rows.push({ sid, author: f.did, text, entities: extractEntities(text), lang: Array.isArray(c.record.langs) ? String(c.record.langs[0]).slice(0, 16) : null });
            if (rows.length >= n)
                return rows;
        }
        count = Math.ceil(count * 1.2);
    }
}
async function seed(url, rows) {
    const c = new pg.Client({ connectionString: url, application_name: 'sift-bench-seed' });
    await c.connect();
    try {
        const now = Date.now();
        const spanMs = 6 * 3600_000; // created over the last 6 h, in id order
        for (let i = 0; i < rows.length; i += 5000) {
            const chunk = rows.slice(i, i + 5000);
            await c.query(`INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
         SELECT 'bench', sid, author, text, ents::text[], lang, created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS t(sid, author, text, ents, lang, created_at)`, [
                chunk.map((r) => r.sid),
                chunk.map((r) => r.author),
                chunk.map((r) => r.text),
                chunk.map((r) => `{${r.entities.map((e) => `"${e.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`),
                chunk.map((r) => r.lang),
                chunk.map((_, j) => new Date(now - spanMs + ((i + j) / rows.length) * spanMs).toISOString()),
            ]);
        }
        await c.query('ANALYZE events');
    }
    finally {
        await c.end();
    }
}
// ------------------------------------------------------------------------------------------------
async function get(url, key) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json().catch(() => null) };
}
/** Every path once: all 2xx, results non-empty, and (search) served in the mode asked for. */
async function spotCheck(base, key, ep) {
    const problems = [];
    let empty = 0;
    for (const p of ep.paths) {
        const r = await get(base + p, key);
        if (r.status !== 200) {
            problems.push(`${p}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
            continue;
        }
        const items = ep.mode ? r.body?.hits : r.body?.items;
        if (!Array.isArray(items) || !items.length)
            empty++;
        if (ep.mode && r.body?.mode !== ep.mode)
            problems.push(`${p}: served as ${r.body?.mode} (${r.body?.fallback ?? 'no reason given'})`);
    }
    return { ok: problems.length === 0, empty, problems: problems.slice(0, 5) };
}
async function load(base, key, ep, durationS) {
    let i = 0;
    return autocannon({
        url: base,
        connections: CONNECTIONS,
        duration: durationS,
        headers: { authorization: `Bearer ${key}` },
        requests: [{ method: 'GET', path: ep.paths[0], setupRequest: (req) => ({ ...req, path: ep.paths[i++ % ep.paths.length] }) }],
    });
}
async function main() {
    const only = flags.get('only');
    const endpoints = typeof only === 'string' ? ENDPOINTS.filter((e) => only.split(',').includes(e.key)) : ENDPOINTS;
    if (!endpoints.length)
        throw new Error(`--only wants some of ${ENDPOINTS.map((e) => e.key).join(',')}`);
    const backgroundCores = await waitForQuiet(QUIET_WAIT_S * 1000, 0.3, log);
    const db = await createDatabase('sift_bench_api');
    const ns = redisNamespace('sift-bench-api');
    const env = benchSiftEnv({ databaseUrl: db.url, redisPrefix: ns, extra: { MOVER_ENABLED: 'false', MOMENTUM_ENABLED: 'false' } });
    const api = await startSift({ name: 'api', roles: 'api', env });
    log(`seeding ${EVENTS} events`);
    let t = performance.now();
    await seed(db.url, seedRows(EVENTS));
    const seedS = (performance.now() - t) / 1000;
    log(`seeded in ${fmt(seedS, 1)} s; embedding them with a worker process`);
    t = performance.now();
    const worker = await startSift({ name: 'worker', roles: 'worker', env });
    let embedded = 0;
    for (let last = -1, stall = 0;;) {
        const [r] = await pgQuery(db.url, 'SELECT count(*)::text AS n FROM embeddings');
        embedded = Number(r.n);
        if (embedded >= EVENTS)
            break;
        stall = embedded === last ? stall + 1 : 0;
        last = embedded;
        if (stall > 60)
            throw new Error(`embedding stalled at ${embedded}/${EVENTS}:\n${worker.tail()}`);
        await sleep(1000);
    }
    const embedS = (performance.now() - t) / 1000;
    await worker.stop();
    await pgQuery(db.url, 'ANALYZE embeddings');
    const [model] = await pgQuery(db.url, 'SELECT model_id FROM embeddings LIMIT 1');
    log(`${embedded} vectors (${model?.model_id}) in ${fmt(embedS, 1)} s; worker stopped`);
    const key = await createKey(api.url, { name: 'bench-api', scopes: ['read', 'search'], rateLimitPerMin: 1_000_000 });
    const meter = new CpuMeter(() => ({ api: [api.pid], 'bench (autocannon)': [process.pid] }), db.name);
    const results = [];
    for (const ep of endpoints) {
        const before = await spotCheck(api.url, key, ep);
        if (!before.ok)
            throw new Error(`${ep.label} spot check failed before the load:\n${before.problems.join('\n')}`);
        log(`${ep.label}: warm-up ${WARMUP_S} s, then ${DURATION_S} s with ${CONNECTIONS} connections`);
        await load(api.url, key, ep, WARMUP_S);
        const c0 = meter.snapshot();
        const r = await load(api.url, key, ep, DURATION_S);
        const c1 = meter.snapshot();
        const after = await spotCheck(api.url, key, ep);
        const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
        results.push({
            key: ep.key,
            label: ep.label,
            paths: ep.paths.length,
            reqPerS: r.requests.average,
            total: r.requests.total,
            p50: r.latency.p50,
            p90: r.latency.p90,
            p99: r.latency.p99,
            max: r.latency.max,
            mean: r.latency.average,
            non2xx: r.non2xx,
            errors: r.errors,
            timeouts: r.timeouts,
            statusCodes,
            bytesPerS: r.throughput.average,
            emptyResults: before.empty,
            spotCheck: after.problems,
            cpu: CpuMeter.diff(c0, c1),
        });
    }
    await api.stop();
    const git = gitRevision();
    const int = (n) => fmt(n, 0);
    const rows = results.map((r) => [
        r.label,
        int(r.reqPerS),
        int(r.p50),
        int(r.p90),
        int(r.p99),
        int(r.max),
        int(r.non2xx),
        int(r.errors + r.timeouts),
        int(r.total),
        `${fmt(r.bytesPerS / 1048576, 1)} MiB/s`,
    ]);
    const cpuRows = results.map((r) => [
        r.label,
        fmt(r.cpu.cores.api ?? NaN, 2),
        fmt(r.cpu.cores.postgres ?? NaN, 2),
        fmt(r.cpu.cores.redis ?? NaN, 2),
        fmt(r.cpu.cores['bench (autocannon)'] ?? NaN, 2),
        fmt(r.cpu.otherCores, 2),
        `${fmt(r.cpu.machineCores, 2)} of ${fmt(r.cpu.machineCapacity, 0)}`,
    ]);
    const noisy = results.some((r) => r.cpu.otherCores > 0.3) || backgroundCores > 0.3;
    emitReport({
        bench: 'api',
        title: 'API: GET /events and /search under load (autocannon)',
        params: {
            events: EVENTS,
            embedded,
            model: model?.model_id ?? null,
            connections: CONNECTIONS,
            warmupS: WARMUP_S,
            durationS: DURATION_S,
            git: `${git.commit}${git.dirty ? '+dirty' : ''}`,
            cpus: os.cpus().length,
        },
        tables: [
            { title: 'Requests (latency in ms)', headers: ['endpoint', 'req/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors+timeouts', 'requests', 'throughput'], rows },
            { title: `CPU during each measured run (cores busy; this machine has ${os.cpus().length})`, headers: ['endpoint', 'api', 'postgres', 'redis', 'bench (autocannon)', 'other', 'machine'], rows: cpuRows },
        ],
        checks: results.map((r) => ({ name: `${r.label}: no non-2xx, no errors`, target: '0', actual: String(r.non2xx + r.errors + r.timeouts), pass: r.non2xx + r.errors + r.timeouts === 0 && r.spotCheck.length === 0 })),
        figures: { seed: { events: EVENTS, seedS, embedded, embedS, model: model?.model_id ?? null }, backgroundCores, results },
        notes: [
            `One api process (Redis-backed rate limits and search budget, limits raised to 1M/min), Postgres and Redis on this ${os.cpus().length}-core machine; autocannon runs in the bench process on the same cores (see the CPU table).`,
            `${EVENTS} events seeded by SQL in ${fmt(seedS, 1)} s, embedded by a worker process (${model?.model_id ?? 'no model'}) in ${fmt(embedS, 1)} s; the worker was stopped before the load.`,
            `Search queries rotate over ${KEYWORD_QUERIES.length} keyword terms / ${SENTENCE_QUERIES.length} sentences; every search answer was checked (before and after each run) to be served in the mode asked for.`,
            ...results.filter((r) => r.emptyResults).map((r) => `${r.label}: ${r.emptyResults}/${r.paths} of its queries return no results.`),
            ...results.filter((r) => r.spotCheck.length).map((r) => `${r.label}: after the run: ${r.spotCheck.join('; ')}`),
            ...(noisy ? [`Other load on the machine during the run (busy before: ${fmt(backgroundCores, 2)} cores; see "other"): figures are pessimistic.`] : []),
        ],
    });
}
runBench('api', main);
//# sourceMappingURL=api.js.map