/**
 * `npm run bench:ingest` — events/s through the real relay into Postgres, against a raw COPY of
 * the very same rows into the very same table, in one run.
 *
 *   node dist/bench/ingest.js [--events 200000 | --quick] [--runs 3] [--batch N]
 *                             [--sweep [500,1000,2000,5000]] [--variants [name,…]] [--no-copy] [--strict]
 *
 * - A fresh database `sift_bench_<random>` is created, migrated with the app's own data source
 *   factory and runMigrationsLocked, and dropped at the end (also on failure or Ctrl-C).
 * - A child process (bench/lib/ingest-fixture.ts) generates N Jetstream post frames (realistic
 *   texts and entities, from the sample generator) and serves them on a local WebSocket as fast as
 *   the relay reads (it waits on bufferedAmount, so TCP backpressure is respected). It is a separate
 *   process because the firehose is another machine in production, and so this process holds and
 *   is measured with nothing but the relay.
 * - Relay path (this process): the real SourceConnection → JetstreamAdapter → SourcePipeline →
 *   EventsRepository over a TypeORM data source (no Nest, no embeddings, onStored only counts), with the
 *   relay settings loaded like the app loads them (RELAY_* env vars, same defaults). Timed from
 *   the first frame parsed to the commit of the batch holding the N-th row.
 * - Baseline: the same rows, as the relay's adapter produced them, in one COPY FROM STDIN (text
 *   format, payload pre-encoded, sent by the fixture process) into the same `events` table, same
 *   indexes, same generated tsvector. Tables are truncated and a CHECKPOINT taken before every run,
 *   and a fingerprint of the stored rows proves both paths wrote the same data.
 * - Every configuration runs once per round, `--runs` rounds, interleaved (so background load on
 *   a shared machine hits all alike); medians are reported, with the best run, the relay/COPY
 *   ratio, peak RSS of this process (sampled every 50 ms), CPU split (relay process, Postgres
 *   backends, fixture, rest of the machine) and how busy the relay's single writer was.
 *   Figures go to bench/out/ingest.json.
 *
 * `--sweep` adds relay runs at other RELAY_BATCH_SIZE values; `--variants` adds prototype writers
 * (alternative EventsRepository.writeBatch implementations in bench/lib/ingest-writers.ts, not in src/)
 * through the same pipeline.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { loadConfig } from '../libs/config/index.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { RelayRepository } from '../src/relay/relay.repository.js';
import { Db } from '../libs/database/index.js';
import { SourcePipeline } from '../src/relay/source-pipeline.js';
import { JetstreamAdapter } from '../src/relay/sources/jetstream.adapter.js';
import { WRITERS } from './lib/ingest-writers.js';
import { check, emitReport, fmt, fmtMiB, median, parseFlags, RssSampler, positiveIntFlag } from './lib/report.js';
import { runBench } from './lib/bench-env.js';
import { withTempDatabase } from './lib/temp-db.js';
const TARGET_RATIO = 0.5;
const TARGET_EPS = 20_000;
const SOURCE = 'bench';
const SEED = 42;
const COPY_SQL = `COPY events (source, source_event_id, author, text, entities, lang, created_at) FROM STDIN`;
// --------------------------------------------------------------------------------------------
// Options
const flags = parseFlags();
const intFlag = (name, dflt) => positiveIntFlag(flags, name, dflt);
const QUICK = flags.has('quick');
const N = intFlag('events', QUICK ? 30_000 : 200_000);
const RUNS = intFlag('runs', QUICK ? 2 : 3);
const STRICT = flags.has('strict');
const SKIP_COPY = flags.has('no-copy');
const sweepFlag = flags.get('sweep');
const SWEEP = sweepFlag === undefined ? [] : (sweepFlag === true ? '500,1000,2000,5000' : sweepFlag).split(',').map((s) => Number(s.trim()));
if (SWEEP.some((b) => !Number.isInteger(b) || b <= 0))
    throw new Error(`--sweep wants a list of batch sizes, got ${String(sweepFlag)}`);
const variantsFlag = flags.get('variants');
const VARIANTS = (variantsFlag === undefined ? [] : variantsFlag === true ? Object.keys(WRITERS).filter((w) => w !== 'current') : variantsFlag.split(',').map((v) => v.trim()));
for (const v of VARIANTS)
    if (!(v in WRITERS))
        throw new Error(`unknown writer ${v}; known: ${Object.keys(WRITERS).join(', ')}`);
// The relay's own settings, read the way the app reads them (env overrides, same defaults).
const cfg = loadConfig({ ...process.env, DATABASE_URL: 'postgres://placeholder@127.0.0.1/x', RELAY_SOURCES: '[{"name":"demo","kind":"replay"}]' }, 'relay');
const BATCH = intFlag('batch', cfg.RELAY_BATCH_SIZE);
// Quiet the relay's connect/disconnect logs; warnings and errors still show.
Logger.overrideLogger(['warn', 'error']);
// A full GC before each measured phase, so a phase's RSS is not the previous phase's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const sampler = new RssSampler(50);
// --------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; null elsewhere): this process, the bench database's Postgres
// backends, the fixture process, and whatever else ran on the machine meanwhile.
const CLK_TCK = 100;
function procCpuSeconds(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
    }
    catch {
        return undefined;
    }
}
/** Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait). */
function machineCpuSeconds() {
    try {
        const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
        const [user, nice, system, , , irq, softirq, steal] = f;
        return (user + nice + system + irq + softirq + (steal ?? 0)) / CLK_TCK;
    }
    catch {
        return undefined;
    }
}
class CpuMeter {
    admin;
    db;
    fixturePid;
    constructor(admin, db, fixturePid) {
        this.admin = admin;
        this.db = db;
        this.fixturePid = fixturePid;
    }
    async backends() {
        const { rows } = await this.admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [this.db]);
        const m = new Map();
        for (const { pid } of rows) {
            const s = procCpuSeconds(pid);
            if (s === undefined)
                return undefined;
            m.set(pid, s);
        }
        return m;
    }
    /** Starts measuring; the returned function gives the CPU used since. */
    async start() {
        const pg0 = await this.backends();
        const fixture0 = this.fixturePid ? procCpuSeconds(this.fixturePid) : undefined;
        const machine0 = machineCpuSeconds();
        const self0 = process.cpuUsage();
        return async () => {
            const self = process.cpuUsage(self0);
            const machine1 = machineCpuSeconds();
            const fixture1 = this.fixturePid ? procCpuSeconds(this.fixturePid) : undefined;
            // Backends that appeared during the run (a pool connection, the COPY client) count from 0.
            const pg1 = await this.backends();
            const relayCpuS = (self.user + self.system) / 1e6;
            let pgCpuS = null;
            if (pg0 && pg1) {
                pgCpuS = 0;
                for (const [pid, v] of pg1)
                    pgCpuS += v - (pg0.get(pid) ?? 0);
            }
            const fixtureCpuS = fixture0 !== undefined && fixture1 !== undefined ? fixture1 - fixture0 : null;
            const otherCpuS = machine0 !== undefined && machine1 !== undefined && pgCpuS !== null
                ? Math.max(0, machine1 - machine0 - relayCpuS - pgCpuS - (fixtureCpuS ?? 0))
                : null;
            return { relayCpuS, pgCpuS, fixtureCpuS, otherCpuS };
        };
    }
}
async function startFixture() {
    const child = fork(new URL('./lib/ingest-fixture.js', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const pending = new Map();
    let nextId = 1;
    const ready = await new Promise((resolve, reject) => {
        child.on('message', (m) => {
            if (m.type === 'ready')
                return resolve(m);
            const { id } = m;
            const p = pending.get(id);
            pending.delete(id);
            if (m.type === 'error')
                p?.reject(new Error(`fixture: ${m.message}`));
            else
                p?.resolve(m);
        });
        child.once('exit', (code) => {
            const err = new Error(`ingest fixture exited with ${code}`);
            reject(err);
            for (const p of pending.values())
                p.reject(err);
        });
        const init = { cmd: 'init', count: N, seed: SEED, source: SOURCE, maxFrameBytes: cfg.RELAY_MAX_FRAME_BYTES, batch: BATCH };
        child.send(init);
    });
    if (ready.frames !== N)
        throw new Error(`fixture has ${ready.frames} frames, wanted ${N}`);
    return {
        ...ready,
        url: `ws://127.0.0.1:${ready.port}`,
        child,
        call: (cmd, url) => new Promise((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            child.send({ cmd, id, url, sql: COPY_SQL });
        }),
        stop: () => {
            if (child.exitCode === null && child.connected)
                child.disconnect(); // the child exits on disconnect
        },
    };
}
async function resetTables(ds) {
    await ds.query(`TRUNCATE events, entity_counts, source_cursors, quarantine, ingest_gaps RESTART IDENTITY`);
    await ds.query(`CHECKPOINT`);
}
/**
 * Order-independent fingerprint of the stored rows, to prove both paths wrote the same data, and
 * of the entity counts the insert trigger kept (per entity, all minutes together), to prove each
 * stored row was counted exactly once (no rolled-back attempt, no duplicate).
 */
async function fingerprint(ds) {
    const [r] = await ds.query(`SELECT count(*)::text AS n,
            coalesce(sum(hashtextextended(concat_ws(E'\\x1f', source, source_event_id, author, text, entities::text, coalesce(lang, '<null>'), created_at::text), 0)), 0)::text AS h
       FROM events`);
    const [c] = await ds.query(`SELECT coalesce(sum(n), 0)::text AS n, coalesce(sum(hashtextextended(concat_ws(E'\\x1f', entity, source, n::text), 0)), 0)::text AS h
       FROM (SELECT entity, source, sum(count) AS n FROM entity_counts GROUP BY 1, 2) t`);
    return `${r.n}:${r.h} counts ${c.n}:${c.h}`;
}
/** The pipeline's store, with writeBatch optionally swapped for a prototype writer, and timed. */
class MeteredStore extends EventsRepository {
    dsRef;
    writer;
    busyMs = 0;
    batches = 0;
    constructor(dsRef, writer) {
        super(Db.of(dsRef));
        this.dsRef = dsRef;
        this.writer = writer;
        this.relay = new RelayRepository(Db.of(dsRef));
    }
    relay;
    cursor(source) {
        return this.relay.cursor(source);
    }
    quarantine(...a) {
        return this.relay.quarantine(...a);
    }
    recordGap(...a) {
        return this.relay.recordGap(...a);
    }
    async writeBatch(source, events, cursor) {
        const t = performance.now();
        try {
            return this.writer === 'current' ? await super.writeBatch(source, events, cursor) : await WRITERS[this.writer](this.dsRef, source, events, cursor);
        }
        finally {
            this.busyMs += performance.now() - t;
            this.batches++;
        }
    }
}
async function relayRun(key, db, meter, fixture, batch, writer) {
    await resetTables(db.ds);
    const store = new MeteredStore(db.ds, writer);
    let first = 0;
    let stored = 0;
    let finish;
    const done = new Promise((r) => (finish = r));
    class TimedAdapter extends JetstreamAdapter {
        parse(frame) {
            if (first === 0)
                first = performance.now();
            return super.parse(frame);
        }
    }
    const adapter = new TimedAdapter({ name: SOURCE, url: fixture.url, collections: ['app.bsky.feed.post'], resume: true }, cfg.RELAY_MAX_FRAME_BYTES);
    const pipeline = new SourcePipeline(adapter, store, {
        batchSize: batch,
        lingerMs: cfg.RELAY_BATCH_LINGER_MS,
        writesInFlight: cfg.RELAY_WRITES_IN_FLIGHT,
        bufferMax: cfg.RELAY_BUFFER_MAX,
        cursorOverlapMs: cfg.RELAY_CURSOR_OVERLAP_MS,
        connection: {
            backoffBaseMs: cfg.RELAY_BACKOFF_BASE_MS,
            backoffMaxMs: cfg.RELAY_BACKOFF_MAX_MS,
            healthyResetMs: 30_000,
            watchdogMs: cfg.RELAY_WATCHDOG_MS,
        },
        onStored: (rows) => {
            stored += rows.length;
            if (stored >= N)
                finish(performance.now());
        },
    });
    gc();
    const cpuDone = await meter.start();
    sampler.beginPhase('relay');
    await pipeline.start();
    // Fail loudly instead of hanging if the pipeline stops making progress.
    let last = -1;
    const guard = setInterval(() => {
        if (stored === last)
            finish(-1);
        last = stored;
    }, 60_000);
    const end = await done;
    clearInterval(guard);
    const phase = sampler.endPhase();
    const cpu = await cpuDone();
    await pipeline.stop();
    if (end < 0) {
        throw new Error(`relay stalled at ${stored}/${N} rows (stats ${JSON.stringify(pipeline.stats)}, last write error: ${pipeline.lastWriteError ?? 'none'})`);
    }
    const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM events`);
    if (n !== N || pipeline.stats.quarantined || pipeline.stats.duplicates) {
        throw new Error(`relay stored ${n} rows, wanted ${N} (stats ${JSON.stringify(pipeline.stats)})`);
    }
    const ms = end - first;
    return {
        key,
        label: writer === 'current' ? 'relay (EventsRepository.writeBatch)' : `relay + prototype writer "${writer}"`,
        batch,
        events: N,
        ms,
        eps: (N / ms) * 1000,
        cpu,
        writerBusy: store.busyMs / ms,
        batches: store.batches,
        peakRss: phase.peak,
    };
}
async function copyRun(db, meter, fixture) {
    await resetTables(db.ds);
    await fixture.call('connect', db.url);
    const cpuDone = await meter.start();
    const { rows, ms } = await fixture.call('copy', db.url);
    const cpu = await cpuDone();
    if (rows !== N)
        throw new Error(`COPY wrote ${rows} rows, wanted ${N}`);
    return { key: 'copy', label: 'COPY FROM STDIN (baseline)', batch: null, events: N, ms, eps: (N / ms) * 1000, cpu, writerBusy: null, batches: null, peakRss: null };
}
function summarize(runs) {
    const pick = (f) => {
        const xs = runs.map(f).filter((x) => x !== null);
        return xs.length ? median(xs) : null;
    };
    const rss = runs.map((r) => r.peakRss).filter((x) => x !== null);
    return {
        label: runs[0].label,
        batch: runs[0].batch,
        runs: runs.map((r) => Math.round(r.eps)),
        eps: pick((r) => r.eps),
        bestEps: Math.max(...runs.map((r) => r.eps)),
        seconds: pick((r) => r.ms / 1000),
        relayCpuS: pick((r) => r.cpu.relayCpuS),
        pgCpuS: pick((r) => r.cpu.pgCpuS),
        fixtureCpuS: pick((r) => r.cpu.fixtureCpuS),
        otherCpuS: pick((r) => r.cpu.otherCpuS),
        writerBusy: pick((r) => r.writerBusy),
        batches: pick((r) => r.batches),
        peakRss: rss.length ? Math.max(...rss) : null,
    };
}
/** Busy share of the machine's CPUs not used by this bench over a short window before it starts. */
async function backgroundLoad(ms = 1000) {
    const m0 = machineCpuSeconds();
    const s0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, ms));
    const m1 = machineCpuSeconds();
    if (m0 === undefined || m1 === undefined)
        return null;
    const self = process.cpuUsage(s0);
    return Math.max(0, (m1 - m0 - (self.user + self.system) / 1e6) / ((ms / 1000) * os.cpus().length));
}
// --------------------------------------------------------------------------------------------
async function main() {
    sampler.start();
    const startedRss = process.memoryUsage().rss;
    process.stderr.write(`bench:ingest: ${fmt(N)} events, ${RUNS} round(s), batch ${BATCH}${SWEEP.length ? `, sweep ${SWEEP.join('/')}` : ''}${VARIANTS.length ? `, variants ${VARIANTS.join('/')}` : ''}\n`);
    const loadBefore = await backgroundLoad();
    if (loadBefore !== null && loadBefore > 0.15) {
        process.stderr.write(`  warning: ${fmt(loadBefore * 100, 0)}% of the machine's CPU is busy with other work; figures will be noisy\n`);
    }
    const fixture = await startFixture();
    const results = [];
    const add = (r) => {
        results.push(r);
        process.stderr.write(`  ${r.label}${r.batch ? ` batch ${r.batch}` : ''}: ${fmt(r.eps)} events/s (${fmt(r.ms / 1000, 2)} s)\n`);
    };
    try {
        await withTempDatabase(async (db) => {
            const admin = new pg.Client({ connectionString: db.url, application_name: 'sift-bench-admin' });
            // A terminated connection must fail the next query, not crash the process unhandled.
            admin.on('error', (err) => process.stderr.write(`  admin connection: ${err.message}\n`));
            await admin.connect();
            const meter = new CpuMeter(admin, db.name, fixture.child.pid);
            const prints = {};
            try {
                // Rounds: every configuration once per round, so drift and background load on a shared
                // machine hit all of them alike; medians are taken over rounds.
                for (let i = 0; i < RUNS; i++) {
                    add(await relayRun('relay', db, meter, fixture, BATCH, 'current'));
                    prints.relay ??= await fingerprint(db.ds);
                    if (!SKIP_COPY) {
                        add(await copyRun(db, meter, fixture));
                        prints.copy ??= await fingerprint(db.ds);
                        if (prints.relay !== prints.copy)
                            throw new Error(`relay and COPY stored different rows (${prints.relay} vs ${prints.copy})`);
                    }
                    for (const b of SWEEP)
                        if (b !== BATCH)
                            add(await relayRun(`sweep:${b}`, db, meter, fixture, b, 'current'));
                    for (const v of VARIANTS) {
                        add(await relayRun(`variant:${v}`, db, meter, fixture, BATCH, v));
                        if (i === 0) {
                            const p = await fingerprint(db.ds);
                            if (p !== prints.relay)
                                throw new Error(`writer ${v} stored different rows (${p} vs ${prints.relay})`);
                        }
                    }
                }
            }
            finally {
                await fixture.call('close', db.url).catch(() => undefined);
                await admin.end();
            }
        }, { poolMax: cfg.DB_POOL_MAX, applicationName: 'sift-bench-relay' });
    }
    finally {
        fixture.stop();
    }
    const peak = sampler.stop();
    // ------------------------------------------------------------------------------------------
    const runsOf = (key) => results.filter((r) => r.key === key);
    const relay = summarize(runsOf('relay'));
    const copyRuns = runsOf('copy');
    const copy = copyRuns.length ? summarize(copyRuns) : undefined;
    // Relay and COPY run back to back in each round; the median of the per-round ratios is the most
    // robust figure when the machine is shared (the ratio of the medians is in the JSON too).
    const relayRuns = runsOf('relay');
    const ratio = copy ? median(copyRuns.map((c, i) => relayRuns[i].eps / c.eps)) : NaN;
    const ratioOfMedians = copy ? relay.eps / copy.eps : NaN;
    const sweep = [relay, ...SWEEP.filter((b) => b !== BATCH).map((b) => summarize(runsOf(`sweep:${b}`)))].sort((a, b) => a.batch - b.batch);
    const variants = VARIANTS.map((v) => summarize(runsOf(`variant:${v}`)));
    const best = [...sweep].sort((a, b) => b.eps - a.eps)[0];
    const other = results.map((r) => (r.cpu.otherCpuS ?? 0) / (r.ms / 1000) / os.cpus().length);
    const noisy = Math.max(...other) > 0.15;
    const headers = ['path', 'batch', 'events/s (median)', 'vs COPY', 'best', 'runs events/s', 'wall s', 'relay CPU s', 'pg CPU s', 'fixture CPU s', 'other CPU s', 'writer busy', 'peak RSS'];
    const row = (s) => [
        s.label,
        s.batch ?? '—',
        s.eps,
        copy ? `${fmt(s.eps / copy.eps, 2)}×` : '—',
        s.bestEps,
        s.runs.map((x) => fmt(x)).join(' / '),
        Number(s.seconds.toFixed(2)),
        s.relayCpuS === null ? '—' : fmt(s.relayCpuS, 1),
        s.pgCpuS === null ? '—' : fmt(s.pgCpuS, 1),
        s.fixtureCpuS === null ? '—' : fmt(s.fixtureCpuS, 1),
        s.otherCpuS === null ? '—' : fmt(s.otherCpuS, 1),
        s.writerBusy === null ? '—' : `${fmt(s.writerBusy * 100, 0)}%`,
        s.peakRss === null ? '—' : fmtMiB(s.peakRss),
    ];
    const cores = os.cpus().length;
    const checks = [
        ...(copy ? [check('relay / COPY throughput', ratio, '>=', TARGET_RATIO, '', 2)] : []),
        check(`relay events/s (${fmt(N)} events, ${cores} cores, no embeddings)`, relay.eps, '>=', TARGET_EPS, 'events/s'),
    ];
    const m = fixture.micro;
    const json = emitReport({
        bench: 'ingest',
        title: 'Ingest: relay vs COPY',
        params: {
            events: N,
            rounds: RUNS,
            batch: BATCH,
            lingerMs: cfg.RELAY_BATCH_LINGER_MS,
            writesInFlight: cfg.RELAY_WRITES_IN_FLIGHT,
            bufferMax: cfg.RELAY_BUFFER_MAX,
            frameMiB: Number((fixture.bytes / 1048576).toFixed(1)),
            entitiesPerEvent: Number(fixture.entitiesPerEvent.toFixed(2)),
        },
        tables: [
            {
                title: 'Summary',
                headers: ['figure', 'value'],
                rows: [
                    ['relay events/s (median)', fmt(relay.eps)],
                    ['COPY events/s (median)', copy ? fmt(copy.eps) : 'skipped'],
                    ['ratio relay / COPY (median of per-round ratios)', copy ? `${fmt(ratio, 2)} (ratio of medians ${fmt(ratioOfMedians, 2)})` : '—'],
                    ['peak RSS of the relay process', `${fmtMiB(peak)} (${fmtMiB(startedRss)} at start; at most +${fmtMiB(sampler.phaseGrowth('relay'))} within a run)`],
                    ['RELAY_BATCH_SIZE used', String(BATCH)],
                    ...(sweep.length > 1 ? [['best RELAY_BATCH_SIZE in sweep', `${best.batch} (${fmt(best.eps)} events/s median)`]] : []),
                ],
            },
            { title: 'Runs', headers, rows: [row(relay), ...(copy ? [row(copy)] : [])] },
            ...(sweep.length > 1 ? [{ title: 'RELAY_BATCH_SIZE sweep (relay)', headers, rows: sweep.map(row) }] : []),
            ...(variants.length ? [{ title: 'Prototype writers (bench/lib/ingest-writers.ts, not in src/)', headers, rows: [row(relay), ...variants.map(row)] }] : []),
            {
                title: 'Relay CPU per event, in isolation (no I/O)',
                headers: ['step', 'µs/event', 'events/s on one core'],
                rows: [
                    ['adapter.parse (UTF-8 check + JSON.parse + validation + entities)', m.parseUs, 1e6 / m.parseUs],
                    ['  of which JSON.parse', m.jsonUs, 1e6 / m.jsonUs],
                    ['  of which extractEntities', m.entitiesUs, 1e6 / m.entitiesUs],
                    ['writeBatch parameter arrays', m.paramsUs, 1e6 / m.paramsUs],
                ],
            },
        ],
        checks,
        figures: {
            relay: { ...relay, batch: BATCH },
            copy: copy ?? null,
            ratio: copy ? ratio : null,
            ratioOfMedians: copy ? ratioOfMedians : null,
            peakRssBytes: peak,
            startRssBytes: startedRss,
            relayRssGrowthBytes: sampler.phaseGrowth('relay'),
            sweep,
            bestBatch: best.batch,
            variants,
            microUsPerEvent: m,
            backgroundLoadBefore: loadBefore,
            noisy,
            runs: results,
        },
        notes: [
            'relay = WebSocket (fixture process, loopback) → SourceConnection → JetstreamAdapter.parse → SourcePipeline → EventsRepository.writeBatch (per batch, one autocommit statement in one round trip: the commit-order lock taken before any id is drawn, the rows by INSERT … SELECT FROM unnest(…) RETURNING with ON CONFLICT DO NOTHING only after a duplicate key, and the cursor upsert in a CTE). Timed from the first frame to the commit of the last row. The fingerprint (rows and the trigger\'s entity counts) matched between relay and COPY.',
            'COPY = the same rows in one COPY FROM STDIN (text, pre-encoded): the database\'s own ingest ceiling for this table (same indexes, same generated tsvector).',
            'writer busy = share of the relay\'s wall time with a writeBatch in flight (one writer per source). pg CPU = the bench database\'s backends. fixture CPU = WebSocket server (relay rows) or COPY client (COPY row). other CPU = the rest of the machine (Postgres WAL writer/checkpointer, other processes).',
            ...(noisy ? ['WARNING: other processes used more than 15% of the machine during some runs; medians and ratios are noisy, and the best run is the closer estimate of an idle machine.'] : []),
        ],
    });
    if (STRICT && !json.pass)
        process.exitCode = 1;
}
runBench('ingest', main);
//# sourceMappingURL=ingest.js.map