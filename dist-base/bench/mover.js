/**
 * `npm run bench:mover` — rows/s moved hot → archive by the real Mover, against a bare
 * `INSERT INTO events_archive SELECT … ; DELETE FROM events …` of the very same rows in one
 * transaction, in one run; plus the ingest overhead of the entity-count trigger.
 *
 *   node dist/bench/mover.js [--rows 200000 | --quick] [--runs 3] [--batch 5000] [--movers 3]
 *                            [--vectors] [--insert-events 100000] [--no-trigger-bench] [--strict]
 *
 * - A fresh database `sift_bench_mover_<random>` is created, migrated with the app's migrations
 *   and dropped at the end (also on failure or Ctrl-C).
 * - Rows: realistic posts (the sample generator's texts and entities, parsed by the real Jetstream
 *   adapter) inserted with `ingested_at` spread over the previous 3 days, so all are past the 1 h
 *   hot window. Day partitions are created before either side is timed. Before every timed run
 *   the tables are reloaded, VACUUM ANALYZEd and CHECKPOINTed.
 * - Mover: `Mover.run()` (batches of --batch, claim + delete + archive insert per transaction,
 *   the same code the worker runs; alone, its batches hold the move lease). Baseline: one
 *   transaction, one INSERT…SELECT and one DELETE with the same age predicate. Interleaved,
 *   median of --runs.
 * - Informational: the same run while another session holds the move lease, so every batch
 *   claims FOR UPDATE SKIP LOCKED (what a mover running beside another pays); and --movers Mover
 *   instances over the same rows at once.
 * - `--vectors`: each event also has a 100-d vector; the mover archives vectors and the baseline
 *   moves them with a second INSERT…SELECT + DELETE.
 * - Trigger overhead: --insert-events events written through the relay's EventsRepository.writeBatch
 *   in RELAY_BATCH_SIZE batches, with the entity-count trigger enabled vs disabled.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../libs/config/index.js';
import { MOVE_LEASE_KEY, Mover } from '../src/mover/mover.js';
import { EventsRepository, pgTextArray } from '../src/events/events.repository.js';
import { Db } from '../libs/database/index.js';
import { JetstreamAdapter } from '../src/relay/sources/jetstream.adapter.js';
import { makePostFrames } from './lib/jetstream-frames.js';
import { check, emitReport, fmt, median, parseFlags, positiveIntFlag } from './lib/report.js';
import { withTempDatabase } from './lib/temp-db.js';
const TARGET_RATIO = 0.8;
const flags = parseFlags();
const intFlag = (name, dflt) => positiveIntFlag(flags, name, dflt);
const QUICK = flags.has('quick');
const ROWS = intFlag('rows', QUICK ? 50_000 : 200_000);
const RUNS = intFlag('runs', QUICK ? 3 : 5);
const MOVERS = intFlag('movers', 3);
const INSERT_EVENTS = intFlag('insert-events', QUICK ? 30_000 : 100_000);
const VECTORS = flags.has('vectors');
const STRICT = flags.has('strict');
const cfg = loadConfig({ ...process.env, DATABASE_URL: 'postgres://placeholder@127.0.0.1/x', SIFT_ENV_FILE: 'none' }, 'relay,worker');
const BATCH = intFlag('batch', cfg.MOVER_BATCH_SIZE);
const OPTS = { hotWindowMs: 3_600_000, batchSize: BATCH, maxBatchesPerRun: 1_000_000, archiveVectors: VECTORS, retentionDays: 0, partitionsAheadDays: 1 };
const COLS = 'id, source, source_event_id, author, text, entities, lang, created_at, ingested_at';
const DIMS = 100;
Logger.overrideLogger(['warn', 'error']);
function realisticEvents(n) {
    const adapter = new JetstreamAdapter({ name: 'bench', url: 'ws://x', collections: [], resume: true }, 1 << 20);
    const out = [];
    for (const line of makePostFrames(n, 42)) {
        const r = adapter.parse(Buffer.from(line));
        if (r.kind === 'event')
            out.push(r.event);
    }
    if (out.length < n)
        throw new Error(`generated ${out.length} events, wanted ${n}`);
    return out.slice(0, n);
}
/** Empties every tier and loads `events` into the hot table, all past the hot window. */
async function load(ds, events) {
    await ds.query(`TRUNCATE events, events_archive, embeddings, embeddings_archive, entity_counts`);
    await ds.query(`ALTER TABLE events DISABLE TRIGGER trg_events_count_entities`);
    try {
        const spanS = 3 * 86_400 - 7200;
        for (let i = 0; i < events.length; i += 5000) {
            const chunk = events.slice(i, i + 5000);
            await ds.query(`INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at, ingested_at)
         SELECT 'bench', sid, author, text, ents::text[], lang, created_at, now() - interval '2 hours' - make_interval(secs => age)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::float8[]) AS t(sid, author, text, ents, lang, created_at, age)`, [
                chunk.map((e) => e.sourceEventId),
                chunk.map((e) => e.author),
                chunk.map((e) => e.text),
                chunk.map((e) => pgTextArray(e.entities)),
                chunk.map((e) => e.lang ?? null),
                chunk.map((e) => e.createdAt.toISOString()),
                chunk.map((_, j) => spanS * (1 - (i + j) / events.length)),
            ]);
        }
    }
    finally {
        await ds.query(`ALTER TABLE events ENABLE TRIGGER trg_events_count_entities`);
    }
    if (VECTORS) {
        await ds.query(`INSERT INTO embeddings (event_id, model_id, embedding)
       SELECT id, 'bench@1', (SELECT array_agg(sin(id * 0.001 + d)::real) FROM generate_series(1, ${DIMS}) d)::vector FROM events`);
    }
    await ds.query(`VACUUM ANALYZE events`);
    if (VECTORS)
        await ds.query(`VACUUM ANALYZE embeddings`);
    await ds.query(`CHECKPOINT`);
}
/** CPU seconds of one process from /proc (Linux); undefined elsewhere. */
function procCpu(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) / 100;
    }
    catch {
        return undefined;
    }
}
/**
 * CPU used by this process and the bench database's client backends while `fn` runs: unlike wall
 * time it hardly moves when other work shares the machine. null when /proc is not readable.
 * Autovacuum workers are left out: whether one starts inside a timed window is luck (the mover
 * commits as it goes, the baseline only at its end), and both leave it the same dead rows.
 */
async function withCpu(ds, fn) {
    const backends = async () => new Map((await ds.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`)).map((r) => [r.pid, procCpu(r.pid)]));
    const b0 = await backends();
    const n0 = process.cpuUsage();
    const out = await fn();
    const node = process.cpuUsage(n0);
    const b1 = await backends();
    let pgS = 0;
    for (const [pid, v] of b1) {
        if (v === undefined)
            return { out, cpuS: null };
        pgS += v - (b0.get(pid) ?? 0);
    }
    return { out, cpuS: pgS + (node.user + node.system) / 1e6 };
}
async function archived(ds) {
    const [r] = await ds.query(`SELECT (SELECT count(*) FROM events_archive)::int AS archive, (SELECT count(*) FROM events)::int AS hot`);
    return r;
}
async function timeMover(ds, movers) {
    const instances = Array.from({ length: movers }, () => new Mover(new EventsRepository(Db.of(ds)), OPTS));
    const t0 = performance.now();
    let batches = 0;
    const claims = { lease: 0, row_locks: 0 };
    // Run until nothing is left: one run drains alone; several stop at their first short batch
    // (the rest may be locked by the others), so go again until a round moves nothing.
    for (;;) {
        const rs = await Promise.all(instances.map((m) => m.run()));
        for (const r of rs)
            if (r.error)
                throw new Error(`mover failed: ${r.error}`);
        batches += rs.reduce((a, r) => a + r.batches, 0);
        for (const r of rs)
            for (const c of ['lease', 'row_locks'])
                claims[c] += r.claims[c];
        if (movers === 1 || rs.every((r) => r.moved === 0))
            break;
    }
    return { ms: performance.now() - t0, batches, claims };
}
/**
 * timeMover(ds, 1) while another session holds the move lease in shared mode, as a row-locking
 * batch running beside it would: every batch claims FOR UPDATE SKIP LOCKED.
 */
async function timeMoverWithoutLease(ds) {
    const holder = await Db.of(ds).hold();
    try {
        await holder.query('SELECT pg_advisory_lock_shared($1)', [MOVE_LEASE_KEY.toString()]);
        const r = await timeMover(ds, 1);
        if (r.claims.lease)
            throw new Error(`${r.claims.lease} batches took the lease another session holds`);
        return r;
    }
    finally {
        await holder.query('SELECT pg_advisory_unlock_shared($1)', [MOVE_LEASE_KEY.toString()]).catch(() => undefined);
        holder.release();
    }
}
async function timeBaseline(ds) {
    const t0 = performance.now();
    await Db.of(ds).withTransaction(async (q) => {
        await q.query(`INSERT INTO events_archive (${COLS}) SELECT ${COLS} FROM events WHERE ingested_at < now() - interval '1 hour'`);
        if (VECTORS) {
            await q.query(`INSERT INTO embeddings_archive (event_id, model_id, embedding, created_at, event_ingested_at)
         SELECT m.event_id, m.model_id, m.embedding, m.created_at, e.ingested_at FROM embeddings m JOIN events e ON e.id = m.event_id
          WHERE e.ingested_at < now() - interval '1 hour'`);
            await q.query(`DELETE FROM embeddings m USING events e WHERE e.id = m.event_id AND e.ingested_at < now() - interval '1 hour'`);
        }
        await q.query(`DELETE FROM events WHERE ingested_at < now() - interval '1 hour'`);
    });
    return performance.now() - t0;
}
async function timeInserts(ds, events, trigger) {
    await ds.query(`TRUNCATE events, entity_counts, source_cursors`);
    await ds.query(`ALTER TABLE events ${trigger ? 'ENABLE' : 'DISABLE'} TRIGGER trg_events_count_entities`);
    await ds.query(`CHECKPOINT`);
    const store = new EventsRepository(Db.of(ds));
    const batch = cfg.RELAY_BATCH_SIZE;
    try {
        const t0 = performance.now();
        for (let i = 0; i < events.length; i += batch)
            await store.writeBatch('bench', events.slice(i, i + batch), String(i));
        return performance.now() - t0;
    }
    finally {
        await ds.query(`ALTER TABLE events ENABLE TRIGGER trg_events_count_entities`);
    }
}
await withTempDatabase(async ({ ds }) => {
    process.stdout.write(`generating ${fmt(Math.max(ROWS, INSERT_EVENTS))} realistic events…\n`);
    const all = realisticEvents(Math.max(ROWS, INSERT_EVENTS));
    const rows = all.slice(0, ROWS);
    // Partitions for the whole span exist before anything is timed (both sides use them).
    await load(ds, rows.slice(0, 1000));
    await new Mover(new EventsRepository(Db.of(ds)), { ...OPTS, retentionDays: 0 }).ensurePartitions();
    const sides = ['mover', 'baseline', 'rowLocks'];
    const ms = { mover: [], baseline: [], rowLocks: [] };
    const cpu = { mover: [], baseline: [], rowLocks: [] };
    const batches = {};
    const timeSide = async (side) => {
        if (side === 'baseline')
            return timeBaseline(ds);
        const r = await (side === 'mover' ? timeMover(ds, 1) : timeMoverWithoutLease(ds));
        batches[side] = r.batches;
        return r.ms;
    };
    for (let run = 0; run < RUNS; run++) {
        // Rotate which side goes first so cache warmth favours none.
        for (const side of [...sides.slice(run % 3), ...sides.slice(0, run % 3)]) {
            await load(ds, rows);
            const { out, cpuS } = await withCpu(ds, () => timeSide(side));
            ms[side].push(out);
            cpu[side].push(cpuS);
            const a = await archived(ds);
            if (a.archive !== ROWS || a.hot !== 0)
                throw new Error(`${side}: archive ${a.archive}, hot ${a.hot}; wanted ${ROWS} and 0`);
            process.stdout.write(`run ${run + 1}/${RUNS} ${side}: ${fmt(out, 0)} ms\n`);
        }
    }
    await load(ds, rows);
    const conc = await timeMover(ds, MOVERS);
    const [{ dupes }] = await ds.query(`SELECT (count(*) - count(DISTINCT id))::int AS dupes FROM events_archive`);
    const a = await archived(ds);
    if (a.archive !== ROWS || a.hot !== 0 || dupes !== 0)
        throw new Error(`concurrent movers: archive ${a.archive}, hot ${a.hot}, dupes ${dupes}`);
    const rate = (side) => (ROWS * 1000) / median(ms[side]);
    // Each run's sides ran back to back: the median of per-run ratios cancels most of the
    // background load a shared machine adds (it is also reported next to the ratio of medians).
    const pairedRatio = (side) => median(ms.baseline.map((b, i) => b / ms[side][i]));
    const cpuKnown = sides.every((side) => cpu[side].every((c) => c !== null));
    const cpuRatio = (side) => (cpuKnown ? median(cpu.baseline.map((b, i) => b / cpu[side][i])) : null);
    const ratio = pairedRatio('mover');
    const concRate = (ROWS * 1000) / conc.ms;
    const row = (label, side, transactions) => [
        label,
        median(ms[side]),
        rate(side),
        side === 'baseline' ? '1.00×' : `${fmt(pairedRatio(side), 2)}× (paired median; ${fmt(rate(side) / rate('baseline'), 2)}× of medians)`,
        cpuKnown ? median(cpu[side]) : 'n/a',
        transactions,
        ms[side].map((m) => fmt(m, 0)).join(' / '),
    ];
    const tables = [
        {
            title: `Moving ${fmt(ROWS)} rows hot → archive${VECTORS ? ` (with ${DIMS}-d vectors)` : ''}`,
            headers: ['path', 'median ms', 'rows/s', 'vs baseline (wall)', 'CPU s (pg + node)', 'transactions', 'runs (ms)'],
            rows: [
                row(`Mover.run, batch ${BATCH} (alone: its batches hold the move lease)`, 'mover', String(batches.mover)),
                row('bare INSERT…SELECT + DELETE, one transaction', 'baseline', '1'),
                row('Mover.run beside a row-locking batch: every batch FOR UPDATE SKIP LOCKED (informational)', 'rowLocks', String(batches.rowLocks)),
                [`${MOVERS} Movers at once (same rows; informational)`, conc.ms, concRate, `${fmt(concRate / rate('baseline'), 2)}×`, null, `${conc.batches} (lease ${conc.claims.lease}, row locks ${conc.claims.row_locks})`, fmt(conc.ms, 0)],
            ],
        },
    ];
    const checks = [check('mover rows/s ÷ bare INSERT…SELECT + DELETE rows/s (wall, paired median)', ratio, '>=', TARGET_RATIO, '', 2)];
    const moverCpuRatio = cpuRatio('mover');
    if (moverCpuRatio !== null)
        checks.push(check('same, by CPU seconds spent (robust to other load on the machine)', moverCpuRatio, '>=', TARGET_RATIO, '', 2));
    const figures = {
        rows: ROWS,
        batch: BATCH,
        vectors: VECTORS,
        ms,
        cpu,
        moverRate: rate('mover'),
        baseRate: rate('baseline'),
        ratio,
        ratioOfMedians: rate('mover') / rate('baseline'),
        cpuRatio: moverCpuRatio,
        rowLocks: { rate: rate('rowLocks'), ratio: pairedRatio('rowLocks'), cpuRatio: cpuRatio('rowLocks') },
        loadAvg: os.loadavg(),
        concurrent: { movers: MOVERS, ms: conc.ms, rate: concRate, claims: conc.claims },
    };
    if (!flags.has('no-trigger-bench')) {
        const evs = all.slice(0, INSERT_EVENTS);
        const on = [];
        const off = [];
        let mentions = 0;
        for (let run = 0; run < RUNS; run++) {
            for (const trig of run % 2 === 0 ? [true, false] : [false, true]) {
                (trig ? on : off).push(await timeInserts(ds, evs, trig));
                if (!trig)
                    continue;
                // Every mention of every stored event counted exactly once.
                const [r] = await ds.query(`SELECT coalesce((SELECT sum(count) FROM entity_counts), 0)::int AS counted, (SELECT sum(cardinality(entities)) FROM events)::int AS mentions`);
                if (r.counted !== r.mentions)
                    throw new Error(`trigger counted ${r.counted} mentions, events hold ${r.mentions}`);
                mentions = r.mentions;
            }
        }
        const onRate = (INSERT_EVENTS * 1000) / median(on);
        const offRate = (INSERT_EVENTS * 1000) / median(off);
        const overhead = (median(on) / median(off) - 1) * 100;
        tables.push({
            title: `Ingest overhead of the entity-count trigger (${fmt(INSERT_EVENTS)} events via EventsRepository.writeBatch, batches of ${cfg.RELAY_BATCH_SIZE}, ${fmt(mentions / INSERT_EVENTS, 2)} entities/event)`,
            headers: ['trigger', 'median ms', 'events/s', 'runs (ms)'],
            rows: [
                ['disabled', median(off), offRate, off.map((m) => fmt(m, 0)).join(' / ')],
                ['enabled (statement-level, transition table, upsert)', median(on), onRate, on.map((m) => fmt(m, 0)).join(' / ')],
                ['overhead', `${fmt(overhead, 1)} %`, null, null],
            ],
        });
        figures.trigger = { events: INSERT_EVENTS, onMs: on, offMs: off, onRate, offRate, overheadPct: overhead };
    }
    const json = emitReport({
        bench: 'mover',
        title: 'bench:mover — hot → archive mover vs bare INSERT…SELECT + DELETE',
        params: { rows: ROWS, runs: RUNS, batch: BATCH, movers: MOVERS, vectors: VECTORS, insertEvents: INSERT_EVENTS },
        tables,
        checks,
        figures,
        notes: [
            'Both sides move the same rows into the same day-partitioned archive (same indexes: PK (id, ingested_at), (created_at, id), GIN(entities)); partitions exist before timing.',
            'The mover does per batch what the baseline does once: read the oldest rows (in index order), copy them to the archive, delete them by address, commit. A batch holding the move lease (a lone mover; no other batch runs meanwhile) needs no row locks; batches running beside each other claim FOR UPDATE SKIP LOCKED and archive what their DELETE returned, which the informational row shows on its own.',
        ],
    });
    if (STRICT && !json.pass)
        process.exitCode = 1;
}, { prefix: 'sift_bench_mover', poolMax: 8, applicationName: 'sift-bench-mover' });
//# sourceMappingURL=mover.js.map