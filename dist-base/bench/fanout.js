/**
 * `npm run bench:fanout` — latency from relay ingest to socket.io client receipt, under a fixed
 * source rate, at several client counts.
 *
 *   node dist/bench/fanout.js [--clients 100,1000] [--rate 5000] [--warmup 5] [--duration 15]
 *                             [--profile firehose,mixed] [--client-procs N] [--feed source|bus]
 *                             [--topology split|single|both] [--probes 10] [--linger MS[,MS…]]
 *                             [--cpu-prof] [--profile-clients] [--quiet-wait 120] [--quick]
 *
 * `--quick` (for `npm run bench`): 100 clients, 3 s warm-up, 5 s window.
 *
 * Subscription profiles (bench/lib/fanout-profiles.ts): `firehose` = every client subscribed to
 * everything (clients × rate deliveries: 5M/s, ~2 GB/s of frames at 1000 × 5000/s — the upper
 * bound, on 2 shared cores beyond reach of any server); `mixed` = 5 % firehose, the rest on
 * entity / author / source+entity filters, as dashboards and bots subscribe. The issue's
 * p99 < 100 ms at 1000 clients is judged on `mixed`; `firehose` is measured and reported with it.
 *
 * `--feed bus` leaves out the source, relay and Postgres: batches of synthetic stored events are
 * published on the Redis bus every 40 ms (ingestedAt = createdAt = publish time), so latency is
 * the api's fan-out alone (bus → routing → socket.io → client) — for isolating it on a busy box.
 *
 * Per run (one per topology × linger × client count × profile, each from scratch):
 * - a fresh database `sift_bench_fanout_<random>` (dropped afterwards) and Redis namespace;
 * - a Jetstream-protocol WebSocket source on 127.0.0.1, in its own child process, sending
 *   `app.bsky.feed.post` creates at a fixed rate (open loop: it does not slow down when Sift
 *   lags). Each post's `record.createdAt` (and the end of its text) is the send time in ms, so
 *   `receipt − createdAt` is relay ingest → client receipt (loopback frame transit ≈ 0);
 * - Sift as real processes: `split` = `relay` and `api` processes with Redis between them (the
 *   production shape: relay → Postgres → Redis pub/sub → api → socket.io), `single` = one
 *   `relay,api` process with the in-process bus. No worker runs (embedding jobs queue up unused);
 *   the api runs with EMBEDDINGS_ENABLED=false (the model is idle in this path anyway);
 * - N socket.io clients spread over `--client-procs` child processes (default one per 250
 *   clients, at least 2, at most 4), so their CPU is separate from the source's and measurable,
 *   and no single client event loop queues the others' reads (bench/lib/fanout-clients.ts says
 *   how they keep their own cost small). Every client yields a per-packet latency sample;
 *   `--probes` clients (half firehose, half filtered in `mixed`) also parse every event: the
 *   exact per-event distribution, split into send→ingested_at (relay buffering/linger) and
 *   ingested_at→receipt (write, bus, fan-out). Firehose clients check ids are contiguous;
 *   filtered ones are checked against what the database holds for their filters.
 * - warm-up, then a steady window; latency samples are the events *sent* in the window,
 *   throughput is what arrived in it. Then the source stops and the clients drain.
 *
 * Client, source, Sift, Postgres and Redis all share this machine's cores: CPU per process over
 * the window is reported so the numbers can be read with that in mind, and each run first waits
 * (up to `--quiet-wait` s) for the machine to be idle, reporting what else was running.
 * `--cpu-prof` writes V8 CPU profiles of the Sift processes to bench/out/prof/ and prints where
 * their time went in the window; `--profile-clients` profiles the bench's own client process.
 */
import { fork } from 'node:child_process';
import { Redis } from 'ioredis';
import { matches } from '../src/api/realtime/subscriptions.js';
import { extractEntities } from '../src/relay/extract-entities.js';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { DEFAULT_START_TIME_US, generateSample } from '../scripts/generate-sample.js';
import { benchSiftEnv, CpuMeter, createDatabase, createKey, gitRevision, percentile, pgQuery, redisNamespace, runBench, scrapeMetrics, sleep, startSift, waitForQuiet, } from './lib/bench-env.js';
import { RELAY_VARS } from '../libs/config/vars/relay.js';
import { check, emitReport, fmt, parseFlags } from './lib/report.js';
import { expectedCountSql, MIXED_SHARES, PROFILES, subscriptionsFor } from './lib/fanout-profiles.js';
const TARGET_P99_MS = 100;
const TARGET_CLIENTS = 1000;
const TARGET_RATE = 5000;
const DEFAULT_LINGER = Number(RELAY_VARS.RELAY_BATCH_LINGER_MS.default);
const SOURCE_NAME = 'bench';
const flags = parseFlags();
const ROLE = flags.get('role');
function dist(xs) {
    const s = Float64Array.from(xs).sort();
    let sum = 0;
    for (const x of s)
        sum += x;
    return { samples: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN, mean: s.length ? sum / s.length : NaN };
}
/** The posts the source sends (text without the send-time suffix), for the subscription profiles. */
const profilePosts = () => postTemplates(4000).map((t) => ({ did: t.did, text: JSON.parse(`${t.textJsonOpen}"`) }));
function postTemplates(n) {
    const out = [];
    for (const line of generateSample({ count: Math.ceil(n * 1.3), seed: 7, startTimeUs: DEFAULT_START_TIME_US })) {
        const f = JSON.parse(line);
        const c = f.commit;
        if (f.kind !== 'commit' || c?.operation !== 'create' || c.collection !== 'app.bsky.feed.post' || typeof c.record?.text !== 'string')
            continue;
        out.push({ did: f.did, langs: JSON.stringify(Array.isArray(c.record.langs) ? c.record.langs : ['en']), textJsonOpen: JSON.stringify(c.record.text).slice(0, -1) });
        if (out.length >= n)
            break;
    }
    return out;
}
/**
 * Open-loop pacing for the feeds: every `everyMs`, `emit(from, to, nowMs)` gets the sequence
 * numbers due at `rate` per second since the start. It never slows down for a slow reader (that is
 * what the bench measures). Returns the function that stops it.
 */
function paceOpenLoop(rate, everyMs, emit) {
    let running = true;
    let timer;
    const t0 = performance.now();
    let due0 = 0;
    const tick = () => {
        if (!running)
            return;
        const due = Math.floor(((performance.now() - t0) * rate) / 1000);
        if (due > due0) {
            emit(due0, due, Date.now());
            due0 = due;
        }
        timer = setTimeout(tick, everyMs);
    };
    tick();
    return () => {
        running = false;
        clearTimeout(timer);
    };
}
function runSource() {
    const HIGH_WATER = 64 << 20;
    const templates = postTemplates(4000);
    const tag = Math.random().toString(36).slice(2, 6);
    let stopPacing;
    let sent = 0;
    let skipped = 0;
    let maxBuffered = 0;
    let seq = 0;
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    wss.on('error', () => undefined);
    wss.on('connection', (ws) => {
        ws.on('error', () => ws.terminate());
        process.send({ type: 'connection', clients: wss.clients.size });
    });
    const frame = (nowMs, iso) => {
        const t = templates[seq % templates.length];
        const rkey = `3l${tag}${(seq++).toString(36).padStart(8, '0')}`;
        return (`{"did":"${t.did}","time_us":${nowMs * 1000 + (seq % 1000)},"kind":"commit","commit":{"rev":"${rkey}","operation":"create",` +
            `"collection":"app.bsky.feed.post","rkey":"${rkey}","record":{"$type":"app.bsky.feed.post","createdAt":"${iso}",` +
            `"langs":${t.langs},"text":${t.textJsonOpen} (sent ${nowMs})"},"cid":"bafyrei${rkey}"}}`);
    };
    const start = (rate) => {
        stopPacing = paceOpenLoop(rate, 1, (from, to, nowMs) => {
            const iso = new Date(nowMs).toISOString();
            for (const ws of wss.clients) {
                if (ws.readyState !== ws.OPEN)
                    continue;
                maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
                for (let i = from; i < to; i++) {
                    // Open loop: a relay that stops reading makes us skip (and say so), never slow down.
                    if (ws.bufferedAmount > HIGH_WATER)
                        skipped++;
                    else {
                        ws.send(frame(nowMs, iso));
                        sent++;
                    }
                }
            }
        });
    };
    process.on('message', (m) => {
        if (m.cmd === 'start')
            start(m.rate);
        else if (m.cmd === 'stop')
            stopPacing?.();
        if (m.id !== undefined)
            process.send({ type: 'reply', id: m.id, sent, skipped, maxBuffered, at: Date.now() });
    });
    wss.once('listening', () => {
        const a = wss.address();
        process.send({ type: 'ready', port: typeof a === 'object' && a ? a.port : 0, templates: templates.length });
    });
    process.on('disconnect', () => process.exit(0));
}
// ================================================================================================
// Child: `--feed bus` — stored batches published straight onto the Redis bus, as the relay does
// after its write, with ingestedAt = createdAt = publish time: receipt − createdAt is then the api
// alone (bus, routing, socket.io, client), without the relay and Postgres.
const BUS_BATCH_MS = 40;
function runBusSource() {
    const posts = profilePosts();
    const kept = [];
    let redis;
    let channel = '';
    let stopPacing;
    let sent = 0;
    const start = (rate) => {
        stopPacing = paceOpenLoop(rate, BUS_BATCH_MS, (from, to, now) => {
            const iso = new Date(now).toISOString();
            const batch = [];
            for (let i = from; i < to; i++) {
                const p = posts[i % posts.length];
                const id = ++sent;
                const entities = extractEntities(p.text);
                batch.push({ id: String(id), source: SOURCE_NAME, sourceEventId: `${p.did}/app.bsky.feed.post/b${id}`, author: p.did, text: `${p.text} (sent ${now})`, entities, createdAt: iso, ingestedAt: iso });
                kept.push({ source: SOURCE_NAME, author: p.did, entities, at: now });
            }
            void redis.publish(channel, JSON.stringify(batch));
        });
    };
    process.on('message', (m) => {
        let extra = {};
        if (m.cmd === 'start') {
            redis = new Redis(m.redisUrl);
            channel = m.channel;
            start(m.rate);
        }
        else if (m.cmd === 'stop') {
            stopPacing?.();
        }
        else if (m.cmd === 'counts') {
            // What the database queries give in the relay feed: totals, and per filter set the matches.
            const w = m.window;
            const inWindow = kept.filter((e) => e.at >= w.start && e.at < w.end).length;
            const expected = m.sigs.map((sig) => {
                const filters = JSON.parse(sig);
                return kept.filter((e) => filters.some((f) => matches(f, e))).length;
            });
            extra = { total: kept.length, inWindow, expected };
        }
        if (m.id !== undefined)
            process.send({ type: 'reply', id: m.id, sent, skipped: 0, maxBuffered: 0, lastId: sent, at: Date.now(), ...extra });
    });
    process.send({ type: 'ready', port: 0, templates: posts.length });
    process.on('disconnect', () => process.exit(0));
}
function forkChild(role, execArgv = [], script = fileURLToPath(import.meta.url)) {
    const proc = fork(script, ['--role', role], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let seq = 0;
    const pending = new Map();
    const waiters = [];
    proc.on('message', (m) => {
        if (m.type === 'reply') {
            pending.get(m.id)?.(m);
            pending.delete(m.id);
            return;
        }
        const i = waiters.findIndex((w) => w.type === m.type);
        if (i >= 0)
            waiters.splice(i, 1)[0].res(m);
    });
    const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${role} child: ${what} timed out after ${ms} ms`)), ms).unref())]);
    const exited = new Promise((r) => proc.once('exit', () => r()));
    return {
        proc,
        request: (cmd, body = {}, timeoutMs = 60_000) => {
            const id = ++seq;
            return withTimeout(new Promise((res) => (pending.set(id, res), proc.send({ cmd, id, ...body }))), timeoutMs, cmd);
        },
        once: (type, timeoutMs = 60_000) => withTimeout(new Promise((res) => waiters.push({ type, res })), timeoutMs, `waiting for ${type}`),
        stop: async (graceMs = 0) => {
            if (graceMs && proc.exitCode === null && proc.signalCode === null)
                await Promise.race([exited, sleep(graceMs)]);
            if (proc.exitCode === null && proc.signalCode === null) {
                proc.kill('SIGTERM');
                const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
                await exited;
                clearTimeout(t);
            }
        },
    };
}
const monoUs = () => Number(process.hrtime.bigint() / 1000n);
/** The client processes' raw figures as one result. */
function mergeClients(raws, window, expected) {
    const all = raws.flatMap((r) => r.clients);
    const live = all.filter((c) => c.connected);
    const durS = (window.end - window.start) / 1000;
    const eps = live.map((c) => c.inWindowByReceipt / durS).sort((a, b) => a - b);
    // Per stored batch over every process: earliest and latest receipt among firehose clients.
    const batches = new Map();
    for (const r of raws)
        for (const b of r.batchRecv) {
            const m = batches.get(b[0]);
            if (!m)
                batches.set(b[0], [...b]);
            else {
                m[2] = Math.min(m[2], b[2]);
                m[3] = Math.max(m[3], b[3]);
            }
        }
    const probes = live.filter((c) => c.probe);
    const fire = live.filter((c) => c.firehose);
    const cat = (k) => raws.flatMap((r) => r[k]);
    const filteredOk = (c) => !c.firehose && c.received === expected.get(c.i) && c.dupes === 0;
    return {
        clients: all.length,
        connected: live.length,
        connectMs: 0,
        connectErrors: raws.flatMap((r) => r.connectErrors),
        dropped: all.filter((c) => c.dropped).length,
        overflowMessages: raws.reduce((a, r) => a + r.overflowMessages, 0),
        probes: probes.length,
        perEvent: dist(cat('perEvent')),
        relayPart: dist(cat('relayPart')),
        deliverPart: dist(cat('deliverPart')),
        batchFirst: dist(cat('batchFirst')),
        batchLast: dist(cat('batchLast')),
        spread: dist([...batches.values()].map((b) => b[3] - b[2])),
        batchSize: dist([...batches.values()].map((b) => b[1])),
        perClientEps: { min: eps[0] ?? 0, median: percentile(eps, 50), max: eps[eps.length - 1] ?? 0 },
        totalEps: eps.reduce((a, b) => a + b, 0),
        totalBytesPerS: live.reduce((a, c) => a + c.bytesInWindow, 0) / durS,
        firehoseClients: fire.length,
        filteredCountMismatches: live.filter((c) => !c.firehose && !filteredOk(c)).length,
        receivedMin: fire.length ? Math.min(...fire.map((c) => c.received)) : NaN,
        receivedMax: Math.max(0, ...fire.map((c) => c.received)),
        clientsWithGaps: live.filter((c) => c.gaps > 0).length,
        clientsWithDupes: live.filter((c) => c.dupes > 0).length,
        probeCountMismatches: raws.reduce((a, r) => a + r.probeCountMismatches, 0),
        probeFirstNotOldest: raws.reduce((a, r) => a + r.probeFirstNotOldest, 0),
        probeEventsInWindowMin: Math.min(...probes.map((c) => c.probeInWindow)),
        headMisses: raws.reduce((a, r) => a + r.headMisses, 0),
        eventLoop: { p50: Math.max(...raws.map((r) => r.eventLoop.p50)), p99: Math.max(...raws.map((r) => r.eventLoop.p99)), max: Math.max(...raws.map((r) => r.eventLoop.max)) },
        cpuCores: raws.reduce((a, r) => a + r.cpuCores, 0),
        processes: raws.length,
        // Not serialised into the report (a method): firehose clients need every stored id.
        complete: (total) => live.filter((c) => !c.dropped && (c.firehose ? c.received === total && c.gaps === 0 && c.dupes === 0 : filteredOk(c))).length,
    };
}
async function runOnce(o) {
    const label = `${o.topology} × ${o.clients} clients, ${o.profile}`;
    const log = (msg) => process.stderr.write(`[fanout ${label}] ${msg}\n`);
    const backgroundCores = await waitForQuiet(o.quietWaitS * 1000, 0.3, log);
    const db = await createDatabase('sift_bench_fanout');
    const ns = o.topology === 'split' ? redisNamespace('sift-bench-fanout') : undefined;
    const source = forkChild(o.feed === 'bus' ? 'bus-source' : 'source');
    const profDir = resolve('bench/out/prof', `fanout-${o.topology}-${o.profile}-${o.clients}${o.lingerMs === undefined ? '' : `-linger${o.lingerMs}`}`);
    let clientsChildren = [];
    const sift = [];
    try {
        const { port } = await source.once('ready');
        const connection = o.feed === 'bus' ? Promise.resolve() : source.once('connection', 120_000);
        const env = benchSiftEnv({
            databaseUrl: db.url,
            redisPrefix: ns,
            extra: {
                EMBEDDINGS_ENABLED: 'false',
                RELAY_SOURCES: JSON.stringify([{ name: SOURCE_NAME, kind: 'jetstream', url: `ws://127.0.0.1:${port}`, resume: false }]),
                RELAY_BATCH_LINGER_MS: o.lingerMs === undefined ? undefined : String(o.lingerMs),
            },
        });
        if (o.cpuProf) {
            rmSync(profDir, { recursive: true, force: true });
            mkdirSync(profDir, { recursive: true });
        }
        const named = (name) => (o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, name)}`] : []);
        if (o.feed === 'bus') {
            sift.push(await startSift({ name: 'api', roles: 'api', env, nodeArgs: named('api') }));
        }
        else if (o.topology === 'split') {
            // api first: it applies the migrations; then the relay, which connects to the source.
            sift.push(await startSift({ name: 'api', roles: 'api', env, nodeArgs: named('api') }));
            sift.push(await startSift({ name: 'relay', roles: 'relay', env, nodeArgs: named('relay') }));
        }
        else {
            sift.push(await startSift({ name: 'relay+api', roles: 'relay,api', env, nodeArgs: named('relay+api') }));
        }
        await connection;
        const api = sift.find((s) => s.roles.includes('api'));
        const relay = sift.find((s) => s.roles.includes('relay'));
        const key = await createKey(api.url, { name: 'bench-fanout', scopes: ['read'], rateLimitPerMin: 1_000_000 });
        // Who subscribes to what; probes: half among firehose clients, half among filtered ones.
        const subs = subscriptionsFor(o.profile, o.clients, profilePosts(), SOURCE_NAME);
        const specs = subs.map((subscriptions, i) => ({ i, probe: false, subscriptions }));
        const pickProbes = (pool, k) => {
            for (let j = 0; j < Math.min(k, pool.length); j++)
                pool[Math.floor((j * pool.length) / Math.min(k, pool.length))].probe = true;
        };
        const fire = specs.filter((c) => !c.subscriptions);
        const filtered = specs.filter((c) => c.subscriptions);
        pickProbes(fire, filtered.length ? Math.ceil(o.probes / 2) : o.probes);
        pickProbes(filtered, o.probes - Math.min(fire.length, filtered.length ? Math.ceil(o.probes / 2) : o.probes));
        // Clients spread round-robin over several processes (each its own event loop), so a busy
        // client loop does not add its own queueing to the latency. --profile-clients profiles them.
        const clientScript = fileURLToPath(new URL('./lib/fanout-clients.js', import.meta.url));
        clientsChildren = Array.from({ length: o.clientProcs }, (_, k) => forkChild('clients', flags.has('profile-clients') ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, `clients-${k}`)}`] : [], clientScript));
        log(`connecting ${o.clients} socket.io clients over ${o.clientProcs} processes (${fire.length} firehose, ${filtered.length} filtered)`);
        const connT0 = performance.now();
        // Round-robin, probes and the others separately, so each process gets its share of probes.
        const procOf = new Map();
        for (const group of [specs.filter((c) => c.probe), specs.filter((c) => !c.probe)])
            group.forEach((c, j) => procOf.set(c.i, j % o.clientProcs));
        const conns = await Promise.all(clientsChildren.map((ch, k) => ch.request('connect', { url: api.url, key, specs: specs.filter((c) => procOf.get(c.i) === k), concurrency: 50 }, 180_000)));
        const conn = { connected: conns.reduce((a, c) => a + c.connected, 0), ms: performance.now() - connT0, errors: conns.flatMap((c) => c.errors) };
        if (conn.connected < o.clients)
            throw new Error(`only ${conn.connected}/${o.clients} clients connected: ${conn.errors.join('; ')}`);
        log(`${conn.connected} connected in ${fmt(conn.ms, 0)} ms; source starts at ${o.rate}/s, warm-up ${o.warmupS} s, window ${o.durationS} s`);
        await sleep(1000);
        const meter = new CpuMeter(() => ({
            ...Object.fromEntries(sift.map((s) => [s.name, [s.pid]])),
            clients: clientsChildren.map((c) => c.proc.pid),
            source: [source.proc.pid],
            bench: [process.pid],
        }), db.name);
        const t0 = Date.now();
        const windowStart = t0 + o.warmupS * 1000;
        const windowEnd = windowStart + o.durationS * 1000;
        await Promise.all(clientsChildren.map((c) => c.request('window', { start: windowStart, end: windowEnd })));
        await source.request('start', { rate: o.rate, redisUrl: env.REDIS_URL, channel: `${env.REDIS_KEY_PREFIX}:bus:events.stored` });
        // Backlog (sent − stored) sampled every second through warm-up and window.
        let maxBacklog = 0;
        const poll = setInterval(() => {
            if (o.feed === 'bus')
                return;
            void Promise.all([source.request('stats'), pgQuery(db.url, 'SELECT coalesce(max(id), 0)::text AS n FROM events')])
                .then(([s, [r]]) => (maxBacklog = Math.max(maxBacklog, s.sent - Number(r.n))))
                .catch(() => undefined);
        }, 1000);
        await sleep(windowStart - Date.now());
        const metricsUrls = [...new Set(sift.map((s) => s.url))];
        const cpu0 = meter.snapshot();
        const mono0 = monoUs();
        // The scrape also resets the event-loop delay histograms (prom-client resets them per collect).
        const [s0, m0] = await Promise.all([source.request('stats'), Promise.all(metricsUrls.map((u) => scrapeMetrics(u)))]);
        await sleep(windowEnd - Date.now());
        const cpu1 = meter.snapshot();
        const mono1 = monoUs();
        const [s1, m1] = await Promise.all([
            source.request('stats'),
            Promise.all(metricsUrls.map((u) => scrapeMetrics(u))),
        ]);
        // Keep the stream going a moment so the window's last events are in steady state too.
        await sleep(1000);
        await source.request('stop');
        clearInterval(poll);
        // Drain: every live client has the last stored event (or time is up).
        const drainDeadline = Date.now() + o.drainS * 1000;
        let stored = 0;
        for (;;) {
            const [[r], p] = await Promise.all([
                o.feed === 'bus' ? source.request('stats').then((x) => [{ n: String(x.lastId) }]) : pgQuery(db.url, 'SELECT coalesce(max(id), 0)::text AS n FROM events'),
                Promise.all(clientsChildren.map((c) => c.request('progress'))),
            ]);
            const relayBuffered = relay ? (await scrapeMetrics(relay.url)).get(`sift_relay_buffered_events{source="${SOURCE_NAME}"}`) ?? 0 : 0;
            stored = Number(r.n);
            // Firehose clients (every profile has some) tell when the stream is through; filtered
            // clients get their share in the same delivery, a moment later at most.
            if ((relayBuffered === 0 && Math.min(...p.map((x) => x.minLastId)) >= stored) || Date.now() > drainDeadline)
                break;
            await sleep(250);
        }
        await sleep(500);
        const raws = await Promise.all(clientsChildren.map(async (c) => (await c.request('collect', {}, 120_000)).result));
        // What each filtered client should have received, from the database.
        const expected = new Map();
        const bySig = new Map();
        for (const c of specs)
            if (c.subscriptions)
                bySig.set(JSON.stringify(c.subscriptions), [...(bySig.get(JSON.stringify(c.subscriptions)) ?? []), c.i]);
        const busCounts = o.feed === 'bus' ? await source.request('counts', { window: { start: windowStart, end: windowEnd }, sigs: [...bySig.keys()] }, 120_000) : undefined;
        for (const [k, [sig, ids]] of [...bySig].entries()) {
            let n = busCounts?.expected[k];
            if (n === undefined) {
                const q = expectedCountSql(JSON.parse(sig));
                const [row] = await pgQuery(db.url, q.sql, q.params);
                n = Number(row.n);
            }
            for (const i of ids)
                expected.set(i, n);
        }
        const cr = mergeClients(raws, { start: windowStart, end: windowEnd }, expected);
        cr.connectMs = conn.ms;
        const [counts] = busCounts
            ? [{ total: String(busCounts.total), stored_in_window: String(busCounts.inWindow), sent_in_window: String(busCounts.inWindow) }]
            : await pgQuery(db.url, `SELECT count(*)::text AS total,
              count(*) FILTER (WHERE ingested_at >= to_timestamp($1 / 1000.0) AND ingested_at < to_timestamp($2 / 1000.0))::text AS stored_in_window,
              count(*) FILTER (WHERE created_at >= to_timestamp($1 / 1000.0) AND created_at < to_timestamp($2 / 1000.0))::text AS sent_in_window
       FROM events`, [windowStart, windowEnd]);
        const relayIdx = relay ? metricsUrls.indexOf(relay.url) : -1;
        const apiIdx = metricsUrls.indexOf(api.url);
        const mdiff = (k) => (relayIdx < 0 ? NaN : (m1[relayIdx].get(k) ?? 0) - (m0[relayIdx].get(k) ?? 0));
        const batches = mdiff('sift_relay_batch_write_seconds_count');
        const ingested = mdiff(`sift_relay_events_ingested_total{source="${SOURCE_NAME}"}`);
        const total = Number(counts.total);
        const windowS = o.durationS;
        await Promise.all(clientsChildren.map((c) => c.request('close').catch(() => undefined)));
        await Promise.all(clientsChildren.map((c) => c.stop(10_000)));
        clientsChildren = [];
        // Graceful stop (the relay flushes its backlog first); generous so the CPU profiles get written.
        for (const s of [...sift].reverse())
            await s.stop(o.cpuProf ? 120_000 : 30_000);
        const profiled = [...(o.cpuProf ? sift.map((s) => s.name) : []), ...(flags.has('profile-clients') ? Array.from({ length: o.clientProcs }, (_, k) => `clients-${k}`) : [])];
        const profiles = profiled.map((n) => summarizeProfile(n, join(profDir, n), mono0, mono1)).filter((p) => !!p);
        return {
            topology: o.topology,
            feed: o.feed,
            profile: o.profile,
            clients: o.clients,
            rate: o.rate,
            lingerMs: o.lingerMs ?? 'default',
            windowS,
            backgroundCores,
            source: { sentPerS: (s1.sent - s0.sent) / windowS, skipped: s1.skipped, maxBufferedBytes: s1.maxBuffered },
            db: {
                storedPerS: Number(counts.stored_in_window) / windowS,
                sentInWindow: Number(counts.sent_in_window),
                total,
                maxBacklog,
            },
            relay: { batches, writeMeanMs: batches ? (mdiff('sift_relay_batch_write_seconds_sum') / batches) * 1000 : NaN, eventsPerBatch: batches ? ingested / batches : NaN },
            apiEventLoopP99Ms: (m1[apiIdx].get('sift_process_nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000,
            relayEventLoopP99Ms: relayIdx < 0 ? NaN : (m1[relayIdx].get('sift_process_nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000,
            clientsResult: cr,
            complete: cr.complete(total),
            cpu: CpuMeter.diff(cpu0, cpu1),
            profiles,
        };
    }
    finally {
        await Promise.all(clientsChildren.map((c) => c.stop()));
        for (const s of [...sift].reverse())
            await s.stop(5000);
        await source.stop();
        await db.drop();
    }
}
function category(url, fn) {
    if (!url)
        return fn.startsWith('(') ? fn : `(native) ${fn || 'anonymous'}`;
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm)
        return nm[1];
    const own = /\/dist\/((?:src|libs)\/.+)$/.exec(url);
    if (own)
        return own[1].replace(/\.js$/, '');
    if (url.startsWith('node:'))
        return url.replace(/^node:internal\//, 'node:').replace(/\/.*$/, '');
    return url;
}
const SAMPLE_US = 1000;
function summarizeProfile(name, dir, fromUs, toUs) {
    let files;
    try {
        files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    }
    catch {
        return undefined;
    }
    if (!files.length)
        return undefined;
    const file = join(dir, files.sort().at(-1));
    const p = JSON.parse(readFileSync(file, 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const cat = new Map();
    const fnt = new Map();
    let t = p.startTime;
    let inWindow = 0;
    let busy = 0;
    // Profile timestamps are CLOCK_MONOTONIC µs, like process.hrtime in this process.
    const useWindow = p.startTime < toUs && p.endTime > fromUs;
    for (let i = 0; i < p.samples.length; i++) {
        const dt = p.timeDeltas[i] ?? 0;
        t += dt;
        if (useWindow && (t < fromUs || t > toUs))
            continue;
        inWindow++;
        const n = byId.get(p.samples[i]);
        const { functionName: fn, url, lineNumber } = n.callFrame;
        if (fn === '(idle)')
            continue;
        // Weighted by sample count (1 sample ≈ 1 ms of running at the default --cpu-prof-interval):
        // time deltas would also count the stretches the thread sat descheduled on a busy machine.
        busy += SAMPLE_US;
        const c = category(url, fn);
        cat.set(c, (cat.get(c) ?? 0) + SAMPLE_US);
        const f = `${fn || '(anonymous)'} ${url ? `${category(url, fn)}:${lineNumber + 1}` : ''}`.trim();
        fnt.set(f, (fnt.get(f) ?? 0) + SAMPLE_US);
    }
    const top = (m, k) => [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([n, us]) => ({ name: n, ms: us / 1000, share: busy ? us / busy : 0 }));
    return { process: name, file, windowSamples: inWindow, busyMs: busy / 1000, byCategory: top(cat, 14), byFunction: top(fnt, 14) };
}
// ------------------------------------------------------------------------------------------------
async function main() {
    const QUICK = flags.has('quick');
    const num = (name, dflt) => {
        const v = flags.get(name);
        if (v === undefined)
            return dflt;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0)
            throw new Error(`--${name} wants a number, got ${String(v)}`);
        return n;
    };
    const clientsFlag = flags.get('clients');
    const clientCounts = (typeof clientsFlag === 'string' ? clientsFlag : QUICK ? '100' : '100,1000').split(',').map((s) => Number(s.trim()));
    if (clientCounts.some((n) => !Number.isInteger(n) || n < 1))
        throw new Error(`--clients wants a comma list of counts, got ${String(clientsFlag)}`);
    const topoFlag = String(flags.get('topology') ?? 'split');
    const topologies = topoFlag === 'both' ? ['split', 'single'] : topoFlag === 'single' ? ['single'] : topoFlag === 'split' ? ['split'] : [];
    if (!topologies.length)
        throw new Error(`--topology wants split, single or both, got ${topoFlag}`);
    const linger = flags.get('linger');
    const lingers = typeof linger === 'string' ? linger.split(',').map((x) => Number(x.trim())) : [undefined];
    if (lingers.some((l) => l !== undefined && (!Number.isInteger(l) || l < 0)))
        throw new Error(`--linger wants ms (comma list), got ${String(linger)}`);
    const profileFlag = String(flags.get('profile') ?? PROFILES.join(','));
    const profiles = profileFlag.split(',').map((x) => x.trim());
    if (!profiles.length || profiles.some((x) => !PROFILES.includes(x)))
        throw new Error(`--profile wants ${PROFILES.join(' and/or ')}, got ${profileFlag}`);
    const procsFlag = flags.get('client-procs');
    const feed = String(flags.get('feed') ?? 'source');
    if (feed !== 'source' && feed !== 'bus')
        throw new Error(`--feed wants source or bus, got ${feed}`);
    const base = {
        rate: num('rate', TARGET_RATE),
        warmupS: num('warmup', QUICK ? 3 : 5),
        durationS: num('duration', QUICK ? 5 : 15),
        probes: num('probes', 10),
        cpuProf: flags.has('cpu-prof'),
        drainS: num('drain', 15),
        quietWaitS: num('quiet-wait', 120),
    };
    const git = gitRevision();
    const runs = [];
    const failed = [];
    for (const topology of topologies) {
        for (const lingerMs of lingers) {
            for (const n of clientCounts) {
                // Default: one client process per 250 clients, at least 2 (see fanout-clients.ts).
                const clientProcs = procsFlag === undefined ? Math.min(4, Math.max(2, Math.ceil(n / 250))) : num('client-procs', 1);
                for (const profile of profiles) {
                    try {
                        runs.push(await runOnce({ ...base, feed, lingerMs, topology, profile, clients: n, clientProcs: Math.max(1, Math.min(n, Math.floor(clientProcs))) }));
                    }
                    catch (err) {
                        const error = err.message.split('\n').slice(0, 3).join(' ');
                        process.stderr.write(`[fanout ${topology} × ${n} clients, ${profile}] FAILED: ${error}\n`);
                        failed.push({ topology, profile, clients: n, error });
                    }
                }
            }
        }
    }
    if (!runs.length)
        throw new Error(`every run failed: ${failed.map((f) => f.error).join('; ')}`);
    const int = (n) => fmt(n, 0);
    const name = (r) => `${r.feed === 'bus' ? 'Redis bus → api' : r.topology === 'split' ? 'relay ⇄ Redis ⇄ api' : 'relay+api (1 proc)'}, ${r.profile}${lingers.length > 1 || lingers[0] !== undefined ? `, linger ${r.lingerMs === 'default' ? DEFAULT_LINGER : r.lingerMs} ms` : ''}`;
    const latency = runs.map((r) => {
        const c = r.clientsResult;
        return [name(r), int(r.clients), int(c.perEvent.samples), int(c.perEvent.p50), int(c.perEvent.p95), int(c.perEvent.p99), int(c.perEvent.max), int(c.batchFirst.samples), int(c.batchFirst.p50), int(c.batchFirst.p99), int(c.batchFirst.max)];
    });
    const throughput = runs.map((r) => {
        const c = r.clientsResult;
        const sustained = r.db.storedPerS >= r.rate * 0.98 && r.source.skipped === 0;
        return [
            name(r),
            int(r.clients),
            int(r.source.sentPerS),
            int(r.db.storedPerS),
            sustained ? 'yes' : 'NO',
            int(r.db.maxBacklog),
            `${int(c.perClientEps.median)} (min ${int(c.perClientEps.min)})`,
            int(c.totalEps),
            fmt(c.totalBytesPerS / 1e6, 1),
            `${r.complete}/${r.clients}`,
            int(c.dropped),
        ];
    });
    const breakdown = runs.map((r) => {
        const c = r.clientsResult;
        return [
            name(r),
            int(r.clients),
            `${fmt(c.relayPart.p50, 0)} / ${fmt(c.relayPart.p99, 0)}`,
            `${fmt(c.deliverPart.p50, 0)} / ${fmt(c.deliverPart.p99, 0)}`,
            fmt(r.relay.writeMeanMs, 1),
            int(r.relay.eventsPerBatch),
            `${fmt(c.spread.p50, 0)} / ${fmt(c.spread.p99, 0)}`,
            `${fmt(r.relayEventLoopP99Ms ?? NaN, 0)} / ${fmt(r.apiEventLoopP99Ms ?? NaN, 0)}`,
            `${fmt(c.eventLoop.p99, 0)}`,
        ];
    });
    const groups = ['relay', 'api', 'relay+api', 'postgres', 'redis', 'clients', 'source', 'bench'];
    const cpu = runs.map((r) => [name(r), int(r.clients), ...groups.map((g) => (r.cpu.cores[g] === undefined ? '–' : fmt(r.cpu.cores[g], 2))), fmt(r.cpu.otherCores, 2), `${fmt(r.cpu.machineCores, 2)} of ${fmt(r.cpu.machineCapacity, 0)}`, fmt(r.backgroundCores, 2)]);
    const checks = [];
    for (const r of runs) {
        const at = `${r.feed === 'bus' ? 'bus feed' : r.topology}, ${r.profile}, ${r.clients} clients${r.lingerMs === 'default' ? '' : `, linger ${r.lingerMs} ms`}`;
        // The issue's target is judged on the mixed profile (see the notes); the firehose is checked too, not hidden.
        if (r.clients >= TARGET_CLIENTS)
            checks.push(check(`p99 ingest→receipt (${at})${r.profile === 'mixed' ? ' — the target' : ''}`, r.clientsResult.perEvent.p99, '<=', TARGET_P99_MS, 'ms', 0));
        checks.push(check(`events stored/s (${at})`, r.db.storedPerS, '>=', Math.min(r.rate, TARGET_RATE) * 0.98, '/s', 0));
        checks.push(check(`clients dropped as too slow (${at})`, r.clientsResult.dropped, '<=', 0, '', 0));
        // Fast is worthless if wrong: every connected client got its events once and in id order.
        if (r.feed !== 'bus')
            checks.push(check(`clients that saw an id go backwards or (firehose) skip (${at})`, r.clientsResult.clientsWithDupes + r.clientsResult.clientsWithGaps, '<=', 0, '', 0));
    }
    for (const f of failed)
        checks.push({ name: `run ${f.topology}, ${f.profile}, ${f.clients} clients`, target: 'completes', actual: `failed: ${f.error.slice(0, 120)}`, pass: false });
    const targetNotRun = !runs.some((r) => r.clients >= TARGET_CLIENTS) && !failed.some((f) => f.clients >= TARGET_CLIENTS);
    const tables = [
        {
            title: 'Latency, relay ingest → client receipt (ms)',
            headers: ['topology', 'clients', 'probe samples', 'p50', 'p95', 'p99', 'max', 'all-client batch samples', 'batch-oldest p50', 'batch-oldest p99', 'batch-oldest max'],
            rows: latency,
        },
        {
            title: 'Throughput',
            headers: ['topology', 'clients', 'source sent/s', 'stored/s (DB)', 'rate sustained', 'max backlog (events)', 'delivered/s per client', 'delivered events/s total', 'delivered MB/s total', 'complete streams', 'dropped (too slow)'],
            rows: throughput,
        },
        {
            title: 'Where the time goes (p50 / p99, ms)',
            headers: ['topology', 'clients', 'send→ingested_at (relay buffer+linger)', 'ingested_at→receipt (write+bus+fan-out)', 'batch write+publish mean ms', 'events/batch', 'fan-out spread over clients', 'event-loop p99 relay / api', 'event-loop p99 bench clients'],
            rows: breakdown,
        },
        {
            title: `CPU over the window (cores busy; this machine has ${os.cpus().length})`,
            headers: ['topology', 'clients', ...groups, 'other', 'machine', 'busy before run'],
            rows: cpu,
        },
    ];
    for (const r of runs) {
        for (const p of r.profiles) {
            tables.push({
                title: `CPU profile: ${p.process} (${r.topology}, ${r.profile}, ${r.clients} clients) — self time in the window: ${fmt(p.busyMs, 0)} non-idle 1-ms samples over ${r.windowS} s`,
                headers: ['where (package / module)', 'ms', 'share', 'top functions', 'ms ', 'share '],
                rows: Array.from({ length: Math.max(p.byCategory.length, p.byFunction.length) }, (_, i) => [
                    p.byCategory[i]?.name,
                    p.byCategory[i]?.ms,
                    p.byCategory[i] ? `${fmt(p.byCategory[i].share * 100, 1)}%` : '',
                    p.byFunction[i]?.name,
                    p.byFunction[i]?.ms,
                    p.byFunction[i] ? `${fmt(p.byFunction[i].share * 100, 1)}%` : '',
                ]),
            });
        }
    }
    const c0 = runs[0].clientsResult;
    emitReport({
        bench: 'fanout',
        title: 'Fan-out: relay ingest → socket.io client receipt',
        params: {
            rate: base.rate,
            warmupS: base.warmupS,
            windowS: base.durationS,
            probes: base.probes,
            linger: typeof linger === 'string' ? linger : `default (${DEFAULT_LINGER})`,
            profiles: profiles.join(','),
            topology: topoFlag,
            git: `${git.commit}${git.dirty ? '+dirty' : ''}`,
            cpus: os.cpus().length,
        },
        tables,
        checks,
        figures: { runs, failed },
        notes: [
            ...(targetNotRun ? [`The p99 < ${TARGET_P99_MS} ms target is for ${TARGET_CLIENTS} clients, not run here (run without --quick, or --clients ${TARGET_CLIENTS}).`] : []),
            `Everything runs on this ${os.cpus().length}-core machine: the clients (${[...new Set(runs.map((r) => r.clientsResult.processes))].join('/')} child processes), the source (1 child process), Sift, Postgres and Redis share the cores — see the CPU table.`,
            `Profiles: "firehose" = every client subscribed to everything (clients × rate deliveries); "mixed" = ${MIXED_SHARES.firehose * 100} % firehose, ${MIXED_SHARES.entities * 100} % on 1–3 entities (popular ones more often), ${MIXED_SHARES.authors * 100} % on 1–5 authors, ${MIXED_SHARES.sourceEntity * 100} % on source+entity — see "delivered" in the throughput table. The p99 < ${TARGET_P99_MS} ms target at ${TARGET_CLIENTS} clients is judged on "mixed" (how real clients subscribe); the firehose at ${TARGET_CLIENTS} clients × ${TARGET_RATE}/s is ${fmt((TARGET_CLIENTS * TARGET_RATE) / 1e6, 0)}M deliveries/s, beyond what 2 shared cores can write and read, and is reported as measured.`,
            `Topology "relay ⇄ Redis ⇄ api" = separate relay and api processes with Redis pub/sub between them (production split); "relay+api (1 proc)" = both roles in one process, in-process bus, no Redis. No worker; api with EMBEDDINGS_ENABLED=false.`,
            `Latency = client receipt time − the post's record.createdAt (send time stamped by the source, ms). "probe samples": every event sent in the window, at ${c0.probes} probe clients spread over the connection order (exact per-event distribution). "batch-oldest": every client, every batch, latency of the batch's oldest event (an upper bound for the batch's events at that client).`,
            `"send→ingested_at" is the time until the relay's batch transaction began (ingested_at = now() of that transaction): buffering + RELAY_BATCH_LINGER_MS. "ingested_at→receipt" is insert + commit + publish + bus + routing + socket.io + the client's read. Fan-out spread = per batch, last client's receipt − first client's receipt.`,
            `complete streams = clients that received their whole stream exactly once, in order (firehose: every stored id, contiguous; filtered: as many events as the database holds for their filters, ids increasing); dropped = clients the server disconnected (overflow) or that lost their connection.`,
            `CPU: "postgres" = the backends of the bench database; "other" = machine busy time not in any column (Postgres WAL writer/checkpointer, and any other job on the box); "busy before run" = cores busy just before the run started.`,
            ...runs.filter((r) => r.cpu.otherCores > 0.3 || r.backgroundCores > 0.3).map((r) => `WARNING (${r.topology}, ${r.clients}): other load on the machine (busy before ${fmt(r.backgroundCores, 2)}, other during ${fmt(r.cpu.otherCores, 2)} cores): figures are pessimistic.`),
            ...(feed === 'bus' ? [`Feed "bus": no source, relay or Postgres; stored-event batches published on the Redis bus every ${BUS_BATCH_MS} ms with ingestedAt = createdAt = publish time, so latency is bus → api routing → socket.io → client only; "stored/s" is the published rate.`] : []),
            ...runs.filter((r) => r.profiles.length).map((r) => `CPU profiles (${r.topology}, ${r.clients}): ${r.profiles.map((p) => p.file).join(', ')} (open in Chrome DevTools → Performance).`),
        ],
    });
}
// ================================================================================================
if (ROLE === 'source')
    runSource();
else if (ROLE === 'bus-source')
    runBusSource();
else
    runBench('fanout', main);
//# sourceMappingURL=fanout.js.map