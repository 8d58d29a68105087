/**
 * `npm run soak` — a bounded soak: every role in this process (relay with the replay source in loop
 * mode, embeddings, mover with a short hot window, momentum, api with a socket.io client and
 * periodic REST reads), against a fresh database and Redis. Prints RSS, heap and the hot table
 * (rows and bytes) over time and a flatness verdict; exits 1 with --strict when not flat.
 *
 *   node dist/bench/soak.js [--minutes 10] [--rate 300] [--hot-window 30s] [--mover-interval 5s]
 *                           [--sample-seconds 10] [--strict]
 *
 * Each sample forces a full GC first (V8's gc, enabled at runtime), so "heap" is what is retained,
 * not where the collector happened to be. Flat means, over the samples after the warm-up (the
 * first fifth, at least 30 s):
 * - RSS: the least-squares trend over that span is below max(5 % of the mean, 24 MiB);
 * - retained heap: trend below max(5 % of the mean, 8 MiB);
 * - hot rows: the last third's mean is within 25 % of the middle third's, and the maximum stays
 *   below rate × (hot window + 3 mover intervals + 30 s);
 * - hot heap bytes (`events`): trend under 25 % of the mean, or the last third's growth rate under
 *   half the first third's (the mover VACUUMs the hot table once 10 % of it has moved out, so
 *   the size saw-tooths around a plateau). Heap + indexes + TOAST is printed too: btree pages
 *   emptied by VACUUM are recycled only once no older transaction is open anywhere in the cluster,
 *   so that figure also depends on whatever else runs on the server.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { loadConfig } from '../libs/config/index.js';
import { startSift } from '../src/bootstrap.js';
import { duration } from '../libs/config/vars/mover.js';
import { check, emitReport, fmt, fmtMiB, parseFlags, positiveNumberFlag } from './lib/report.js';
import { withTempDatabase } from './lib/temp-db.js';
const flags = parseFlags();
const num = (name, dflt) => positiveNumberFlag(flags, name, dflt);
const dur = (name, dflt) => {
    const v = flags.get(name);
    const r = duration(100, 86_400_000).safeParse(typeof v === 'string' ? v : dflt);
    if (!r.success)
        throw new Error(`--${name}: ${r.error.issues[0]?.message}`);
    return { text: typeof v === 'string' ? v : dflt, ms: r.data };
};
const MINUTES = num('minutes', 10);
const RATE = num('rate', 300);
const HOT = dur('hot-window', '30s');
const MOVER_EVERY = dur('mover-interval', '5s');
const SAMPLE_MS = num('sample-seconds', 10) * 1000;
const STRICT = flags.has('strict');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `sift-soak-${randomBytes(3).toString('hex')}`;
const DURATION_MS = MINUTES * 60_000;
const WARMUP_MS = Math.max(30_000, DURATION_MS / 5);
// A full GC before each sample, without requiring `node --expose-gc`.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
/** Least-squares slope (units per ms). */
function slope(xs, ys) {
    const n = xs.length;
    if (n < 2)
        return 0;
    const mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
        num += (xs[i] - mx) * (ys[i] - my);
        den += (xs[i] - mx) ** 2;
    }
    return den ? num / den : 0;
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
await withTempDatabase(async ({ url, ds }) => {
    const cfg = loadConfig({
        DATABASE_URL: url,
        REDIS_URL,
        REDIS_KEY_PREFIX: PREFIX,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        API_AUTH: 'off',
        RELAY_SOURCES: JSON.stringify([{ name: 'soak', kind: 'replay', file: 'data/sample-posts.ndjson', rate: RATE, loop: true }]),
        MOVER_HOT_WINDOW: HOT.text,
        MOVER_INTERVAL: MOVER_EVERY.text,
        MOMENTUM_INTERVAL: '5s',
        // The soak's socket.io client would otherwise be replayed the whole window on reconnect.
        SOCKET_RECOVERY_WINDOW_MS: String(Math.min(HOT.ms, 600_000)),
    }, 'all');
    const sift = await startSift(cfg);
    process.stdout.write(`soak: ${MINUTES} min, replay ${RATE}/s in loop mode, hot window ${HOT.text}, mover every ${MOVER_EVERY.text}; sampling every ${SAMPLE_MS / 1000}s\n`);
    // A socket.io client that reconnects every minute (per-socket state must not pile up), and
    // REST reads that fill whatever caches the api keeps.
    let socketEvents = 0;
    const connect = () => {
        const s = io(sift.url, { transports: ['websocket'], reconnection: false });
        s.on('events', (b) => (socketEvents += Array.isArray(b) ? b.length : 1));
        s.on('event', () => socketEvents++);
        return s;
    };
    let socket = connect();
    const reconnect = setInterval(() => {
        socket.disconnect();
        socket = connect();
    }, 60_000);
    let reads = 0;
    const reader = setInterval(() => {
        reads++;
        const paths = ['/trends', `/events?limit=20&entity=${encodeURIComponent('$btc')}`, '/trends/%24btc?minutes=60', `/search?q=${encodeURIComponent(`market news ${reads % 50}`)}`];
        for (const p of paths)
            void fetch(`${sift.url}${p}`).then((r) => r.arrayBuffer()).catch(() => undefined);
    }, 1000);
    const samples = [];
    const t0 = Date.now();
    const take = async () => {
        const [r] = await ds.query(`SELECT (SELECT count(*) FROM events)::int AS hot, pg_relation_size('events')::bigint AS bytes, pg_total_relation_size('events')::bigint AS total,
        (SELECT count(*) FROM events_archive)::int AS archive, (SELECT count(*) FROM entity_counts)::int AS counts,
        (SELECT extract(epoch FROM now() - min(ingested_at))::float8 FROM events) AS age`);
        const metrics = await (await fetch(`${sift.url}/metrics`)).text();
        const ingested = Number(/^sift_relay_events_ingested_total\{source="soak"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
        gc();
        const m = process.memoryUsage();
        const s = {
            t: Date.now() - t0,
            rss: m.rss,
            heap: m.heapUsed,
            hotRows: r.hot,
            hotBytes: Number(r.bytes),
            hotTotalBytes: Number(r.total),
            archiveRows: r.archive,
            entityCountRows: r.counts,
            moverLagS: r.age === null ? null : Math.max(0, Number(r.age) - HOT.ms / 1000),
            ingested,
            socketEvents,
        };
        samples.push(s);
        process.stdout.write(`${fmt(s.t / 1000, 0).padStart(5)}s  rss ${fmtMiB(s.rss).padStart(8)}  heap ${fmtMiB(s.heap).padStart(8)}  hot ${String(s.hotRows).padStart(7)} rows ${fmtMiB(s.hotBytes).padStart(7)} heap ${fmtMiB(s.hotTotalBytes).padStart(7)} total  archive ${String(s.archiveRows).padStart(8)}  ingested ${String(s.ingested).padStart(8)}  lag ${s.moverLagS === null ? '-' : fmt(s.moverLagS, 0)}s\n`);
    };
    try {
        while (Date.now() - t0 < DURATION_MS) {
            await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, DURATION_MS - (Date.now() - t0))));
            await take();
        }
    }
    finally {
        clearInterval(reader);
        clearInterval(reconnect);
        socket.disconnect();
        await sift.close();
        // Leave nothing of this run in Redis (only keys under its own random prefix).
        const redis = new Redis(REDIS_URL);
        let cursor = '0';
        do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
            if (keys.length)
                await redis.del(...keys);
            cursor = next;
        } while (cursor !== '0');
        redis.disconnect();
    }
    const steady = samples.filter((s) => s.t >= WARMUP_MS);
    if (steady.length < 3)
        throw new Error(`only ${steady.length} samples after the ${WARMUP_MS / 1000}s warm-up: run longer or sample more often`);
    const third = Math.max(1, Math.floor(steady.length / 3));
    const middle = steady.slice(third, 2 * third);
    const last = steady.slice(-third);
    const span = steady[steady.length - 1].t - steady[0].t;
    const ts = steady.map((s) => s.t);
    const rssMean = mean(steady.map((s) => s.rss));
    const rssTrend = slope(ts, steady.map((s) => s.rss)) * span;
    const heapMean = mean(steady.map((s) => s.heap));
    const heapTrend = slope(ts, steady.map((s) => s.heap)) * span;
    const hotThirds = mean(last.map((s) => s.hotRows)) / Math.max(1, mean(middle.map((s) => s.hotRows)));
    const hotMax = Math.max(...steady.map((s) => s.hotRows));
    const hotBound = RATE * (HOT.ms / 1000 + (3 * MOVER_EVERY.ms) / 1000 + 30);
    const bytesMean = mean(steady.map((s) => s.hotBytes));
    const bytesTrend = slope(ts, steady.map((s) => s.hotBytes)) * span;
    const firstThird = steady.slice(0, third + 1);
    const lastThird = steady.slice(-(third + 1));
    const growth = (xs) => (xs.length < 2 ? 0 : slope(xs.map((s) => s.t), xs.map((s) => s.hotBytes)));
    const bytesEarly = growth(firstThird);
    const bytesLate = growth(lastThird);
    const bytesFlat = bytesTrend / bytesMean <= 0.25 || bytesLate <= 0.5 * Math.max(0, bytesEarly);
    const first = samples[0];
    const end = samples[samples.length - 1];
    const ingestRate = ((end.ingested - first.ingested) * 1000) / Math.max(1, end.t - first.t);
    const checks = [
        check('RSS trend after warm-up (MiB over the span)', rssTrend / 1048576, '<=', Math.max(0.05 * rssMean, 24 * 1048576) / 1048576, 'MiB', 1),
        check('retained heap trend after warm-up (MiB over the span)', heapTrend / 1048576, '<=', Math.max(0.05 * heapMean, 8 * 1048576) / 1048576, 'MiB', 1),
        check('hot rows: last third ÷ middle third', hotThirds, '<=', 1.25, '', 3),
        check('hot rows: max after warm-up', hotMax, '<=', hotBound, 'rows', 0),
        {
            name: 'hot heap bytes: trend ≤ 25 % of mean, or growth in the last third ≤ half that of the first',
            target: 'plateau',
            actual: `trend ${fmt((100 * bytesTrend) / bytesMean, 0)} % of mean; ${fmtMiB(bytesEarly * 60_000)}/min → ${fmtMiB(bytesLate * 60_000)}/min`,
            pass: bytesFlat,
        },
        check('events ingested per second', ingestRate, '>=', RATE * 0.5, '/s', 0),
    ];
    const rows = samples.map((s) => [
        fmt(s.t / 1000, 0),
        fmtMiB(s.rss),
        fmtMiB(s.heap),
        s.hotRows,
        fmtMiB(s.hotBytes),
        fmtMiB(s.hotTotalBytes),
        s.archiveRows,
        s.entityCountRows,
        s.ingested,
        s.moverLagS === null ? '-' : fmt(s.moverLagS, 0),
    ]);
    const json = emitReport({
        bench: 'soak',
        title: `soak — ${MINUTES} min of ingest + mover (hot window ${HOT.text}) + momentum + api, memory and hot table over time`,
        params: { minutes: MINUTES, rate: RATE, hotWindow: HOT.text, moverInterval: MOVER_EVERY.text, sampleSeconds: SAMPLE_MS / 1000, warmupSeconds: WARMUP_MS / 1000 },
        tables: [{ title: 'Samples', headers: ['t (s)', 'RSS', 'JS heap (after GC)', 'hot rows', 'hot heap', 'hot heap+indexes', 'archive rows', 'entity_counts rows', 'ingested', 'mover lag (s)'], rows }],
        checks,
        figures: {
            rssStartMiB: first.rss / 1048576,
            rssEndMiB: end.rss / 1048576,
            rssMeanMiB: rssMean / 1048576,
            rssTrendMiB: rssTrend / 1048576,
            heapTrendMiB: heapTrend / 1048576,
            hotBytesGrowthMiBPerMin: { early: (bytesEarly * 60_000) / 1048576, late: (bytesLate * 60_000) / 1048576 },
            hotRowsStart: first.hotRows,
            hotRowsEnd: end.hotRows,
            hotRowsMax: hotMax,
            hotBytesStartMiB: first.hotBytes / 1048576,
            hotBytesEndMiB: end.hotBytes / 1048576,
            hotTotalBytesStartMiB: first.hotTotalBytes / 1048576,
            hotTotalBytesEndMiB: end.hotTotalBytes / 1048576,
            archived: end.archiveRows,
            ingested: end.ingested,
            ingestRate,
            socketEvents: end.socketEvents,
            reads,
            loadAvg: os.loadavg(),
            samples,
        },
        notes: [
            `verdict: ${checks.every((c) => c.pass) ? 'FLAT' : 'NOT FLAT'} (RSS ${fmtMiB(first.rss)} → ${fmtMiB(end.rss)}, hot rows ${first.hotRows} → ${end.hotRows}, archived ${end.archiveRows})`,
            'The warm-up (model load, first partitions, JIT of hot paths, pools filling) is excluded from the verdict.',
        ],
    });
    if (STRICT && !json.pass)
        process.exitCode = 1;
}, { prefix: 'sift_soak', applicationName: 'sift-soak' });
// Sift's own timers are closed with it; anything else left (sockets being torn down) must not hold the process.
setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
//# sourceMappingURL=soak.js.map