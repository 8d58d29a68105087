/**
 * `npm run bench:embed` — sentences/s through the product's embedding path against the raw
 * onnxruntime session on the same, pre-tokenised batches, for two model profiles.
 *
 *   node dist/bench/embed.js [--quick] [--profiles glove,minilm] [--texts 20000] [--bert-texts 1000]
 *                            [--runs 3] [--batches 64,128,256] [--job 1000] [--no-wait] [--strict]
 *
 * - A fresh database `sift_bench_embed_<random>` is created, migrated with the app's migrations
 *   and dropped at the end (also on failure or Ctrl-C). Every profile's model is registered first
 *   (as the worker does at boot), so vector writes maintain its HNSW index like in production.
 * - Texts: realistic posts (sample generator → real Jetstream adapter), COPYed into `events`
 *   before anything is timed. --texts of them for glove, the first --bert-texts for minilm.
 * - Profiles (bench/lib/embed-profiles.ts): `glove`, the bundled model (an embedding bag: µs of
 *   ORT per text), and `minilm`, a MiniLM-L6-shaped BERT built once into bench/out/models/ and
 *   loaded by the real TransformerProvider through the chain (inference-dominated, like the
 *   chain's CPU transformer entries). The ≥ 0.8 target is checked on minilm; glove is reported.
 * - Path A "full": the worker's `EmbedProcessor.embedIds()` (real EmbeddingsService, real
 *   VectorStore) over the ids in jobs of --job ids (the relay enqueues one job per stored batch,
 *   RELAY_BATCH_SIZE): load the texts (`EventsRepository.textsWithoutVector`), embed EMBED_BATCH_SIZE chunks and
 *   `EmbeddingsRepository.write` each (pipelined: chunk k is written while k+1 is embedded).
 *   `embeddings` is truncated before every run.
 * - Path A "no write": `EmbeddingsService.embed()` on the very same chunks, texts in memory
 *   (tokenise + tensors + run + pooling/copies).
 * - Path B "raw": `ort.InferenceSession.run()` (a session opened with the provider's options) on
 *   the same model calls A makes (the provider's own tensor builders), built before the clock starts.
 * - Each run interleaves the paths (rotating order); figures are medians of --runs runs, after a
 *   warm-up pass of every path. Target: A/B ≥ 0.8 (per batch size tried) for minilm.
 */
import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { EmbedProcessor } from '../src/embeddings/embed.processor.js';
import { EmbeddingsRepository, hnswIndexName } from '../src/embeddings/embeddings.repository.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { Db } from '../libs/database/index.js';
import { CpuMeter, runBench, waitForQuiet } from './lib/bench-env.js';
import { gloveProfile, miniLmProfile } from './lib/embed-profiles.js';
import { check, emitReport, median, parseFlags, positiveIntFlag } from './lib/report.js';
import { benchConfig, copyEvents, log, postEvents, withClient } from './lib/search-fixture.js';
import { withTempDatabase } from './lib/temp-db.js';
const TARGET_RATIO = 0.8;
const flags = parseFlags();
const intFlag = (name, dflt) => positiveIntFlag(flags, name, dflt);
const QUICK = flags.has('quick');
const cfg0 = benchConfig();
const PROFILES = String(flags.get('profiles') ?? 'glove,minilm')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s === 'glove' || s === 'minilm');
const TEXTS = {
    glove: intFlag('texts', QUICK ? 1_000 : 20_000),
    // Tens of ms of inference per post on one thread: fewer texts, passes of seconds still.
    minilm: intFlag('bert-texts', QUICK ? 128 : 1_000),
};
const RUNS = intFlag('runs', QUICK ? 2 : 3);
const BATCHES = String(flags.get('batches') ?? (QUICK ? String(cfg0.EMBED_BATCH_SIZE) : '64,128,256'))
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
const WAIT = !flags.has('no-wait');
const STRICT = flags.has('strict');
const JOB = intFlag('job', cfg0.RELAY_BATCH_SIZE ?? 1000);
const MODEL_ROOT = resolve('bench/out/models');
/** In-memory paths can finish in tens of ms: each measurement repeats them until this much time has passed and takes the mean pass. */
const MIN_SAMPLE_MS = 300;
/** Mean ms per pass of `pass`, repeated until MIN_SAMPLE_MS have passed (at least once, at most 50 times). */
async function meanPass(pass) {
    return (await timedPasses(pass)).ms;
}
async function timedPasses(pass) {
    let n = 0;
    const t0 = performance.now();
    do {
        await pass();
        n++;
    } while (performance.now() - t0 < MIN_SAMPLE_MS && n < 50);
    return { ms: (performance.now() - t0) / n, n };
}
Logger.overrideLogger(['warn', 'error']);
/** Sums the time spent inside the store's calls during embedIds (two clock reads per call). Writes never overlap (one in flight), so writeMs ≤ wall time. */
class TimedVectorStore extends EmbeddingsRepository {
    missingMs = 0;
    writeMs = 0;
    /** The processor's text loads (an events repository statement), timed into missingMs. */
    events;
    constructor(db) {
        super(db);
        const events = new EventsRepository(db);
        const load = events.textsWithoutVector.bind(events);
        events.textsWithoutVector = async (modelId, ids) => {
            const t0 = performance.now();
            try {
                return await load(modelId, ids);
            }
            finally {
                this.missingMs += performance.now() - t0;
            }
        };
        this.events = events;
    }
    reset() {
        this.missingMs = 0;
        this.writeMs = 0;
    }
    async write(modelId, rows) {
        const t0 = performance.now();
        try {
            return await super.write(modelId, rows);
        }
        finally {
            this.writeMs += performance.now() - t0;
        }
    }
}
/** Id jobs of JOB, then EMBED_BATCH_SIZE chunks inside each job: the chunks embedIds makes. */
function chunksOf(xs, batch) {
    const out = [];
    for (let j = 0; j < xs.length; j += JOB) {
        const job = xs.slice(j, j + JOB);
        for (let i = 0; i < job.length; i += batch)
            out.push(job.slice(i, i + batch));
    }
    return out;
}
async function measure(p, ds, ids, texts, meter) {
    const n = ids.length;
    const { model, service, session } = p;
    const store = new TimedVectorStore(Db.of(ds));
    const fakeJobs = {}; // embedIds never touches the queue or the schema state
    const fakeSchema = {};
    const processorFor = (batch) => new EmbedProcessor({ ...p.cfg, EMBED_BATCH_SIZE: batch }, fakeJobs, service, store, store.events, fakeSchema);
    const truncate = async () => {
        await ds.query(`TRUNCATE embeddings`);
        await ds.query(`CHECKPOINT`);
    };
    const runFull = async (batch, subset = ids) => {
        const proc = processorFor(batch);
        await truncate();
        store.reset();
        const t0 = performance.now();
        let written = 0;
        for (let j = 0; j < subset.length; j += JOB)
            written += await proc.embedIds(subset.slice(j, j + JOB));
        const ms = performance.now() - t0;
        if (written !== subset.length)
            throw new Error(`embedIds wrote ${written} vectors, wanted ${subset.length}`);
        return { ms, missingMs: store.missingMs, writeMs: store.writeMs };
    };
    const runNoWrite = (chunks) => timedPasses(async () => {
        let k = 0;
        for (const chunk of chunks)
            k += (await service.embed(chunk, model.id)).length;
        if (k !== chunks.reduce((a, c) => a + c.length, 0))
            throw new Error('embed returned the wrong count');
    });
    const runRaw = (feeds) => timedPasses(async () => {
        for (const f of feeds)
            await (p.fetches ? session.run(f, p.fetches) : session.run(f));
    });
    /** B's model calls: each A chunk as the provider splits and encodes it. */
    const rawFeeds = (chunks) => chunks.flatMap((c) => p.modelCalls(c));
    // Warm-up: every path once on a slice (JIT, onnxruntime arenas, Postgres caches).
    const warm = Math.min(n, p.name === 'glove' ? (QUICK ? 500 : 2_000) : 64);
    log(`${p.name}: warm-up`);
    await runFull(p.cfg.EMBED_BATCH_SIZE, ids.slice(0, warm));
    await runNoWrite(chunksOf(texts.slice(0, warm), p.cfg.EMBED_BATCH_SIZE));
    await runRaw(rawFeeds(chunksOf(texts.slice(0, warm), p.cfg.EMBED_BATCH_SIZE)));
    const perBatch = new Map();
    for (let r = 0; r < RUNS; r++) {
        for (const batch of BATCHES) {
            const chunks = chunksOf(texts, batch);
            const fig = { prepMs: await meanPass(() => rawFeeds(chunks)) };
            const cpu = {};
            fig.cpu = cpu;
            const feeds = rawFeeds(chunks);
            /** Runs `fn` and records its CPU-seconds per pass (bench process, Postgres backends). */
            const metered = async (fn) => {
                const c0 = meter.snapshot();
                const passes = await fn();
                const d = CpuMeter.diff(c0, meter.snapshot());
                return { bench: ((d.cores.bench ?? 0) * d.wallS) / passes, pg: ((d.cores.postgres ?? 0) * d.wallS) / passes };
            };
            const steps = [
                async () => {
                    const c = await metered(async () => {
                        const f = await runFull(batch);
                        fig.aFullMs = f.ms;
                        fig.aMissingMs = f.missingMs;
                        fig.aWriteMs = f.writeMs;
                        return 1;
                    });
                    cpu.aFull = c.bench;
                    cpu.aFullPg = c.pg;
                },
                async () => {
                    cpu.aNoWrite = (await metered(async () => {
                        const t = await runNoWrite(chunks);
                        fig.aNoWriteMs = t.ms;
                        return t.n;
                    })).bench;
                },
                async () => {
                    cpu.b = (await metered(async () => {
                        const t = await runRaw(feeds);
                        fig.bMs = t.ms;
                        return t.n;
                    })).bench;
                },
            ];
            // Rotate the order per run so no path always runs first (or right after a CHECKPOINT).
            for (let s = 0; s < steps.length; s++)
                await steps[(s + r) % steps.length]();
            const list = perBatch.get(batch) ?? [];
            list.push(fig);
            perBatch.set(batch, list);
            log(`${p.name} run ${r + 1}/${RUNS} batch ${batch}: A full ${fig.aFullMs.toFixed(0)} ms (writes in flight ${fig.aWriteMs.toFixed(0)} ms), A no-write ${fig.aNoWriteMs.toFixed(0)} ms, B raw ${fig.bMs.toFixed(0)} ms`);
        }
    }
    // Where the write goes: the same full path with the model's HNSW index dropped (informational; last, the index is gone after it).
    const noIndex = [];
    await ds.query(`DROP INDEX ${hnswIndexName(model.id)}`);
    for (let r = 0; r < (QUICK ? 1 : RUNS); r++) {
        const f = await runFull(p.cfg.EMBED_BATCH_SIZE);
        noIndex.push({ ms: f.ms, writeMs: f.writeMs });
    }
    return { p, n, perBatch, noIndex };
}
async function main() {
    if (!PROFILES.length)
        throw new Error('--profiles: none of glove, minilm');
    if (!BATCHES.length)
        throw new Error('--batches: no positive integers');
    const N = Math.max(...PROFILES.map((p) => TEXTS[p]));
    return withTempDatabase(async ({ ds, url, name }) => {
        const profiles = [];
        try {
            for (const name of PROFILES)
                profiles.push(name === 'glove' ? await gloveProfile() : await miniLmProfile(MODEL_ROOT));
            for (const p of profiles)
                await new EmbeddingsRepository(Db.of(ds)).registerModel(p.model, { m: p.cfg.SEARCH_HNSW_M, efConstruction: p.cfg.SEARCH_HNSW_EF_CONSTRUCTION });
            const [{ extversion }] = await ds.query(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
            log(`generating ${N} posts and loading them into ${name}`);
            const events = postEvents(N, 42);
            await withClient(url, (c) => copyEvents(c, events));
            await ds.query(`VACUUM ANALYZE events`);
            const rows = await ds.query(`SELECT e.id::text AS id, e.text FROM events e ORDER BY e.id`);
            if (rows.length !== N)
                throw new Error(`loaded ${rows.length} events, wanted ${N}`);
            const busyBefore = WAIT ? await waitForQuiet(QUICK ? 15_000 : 120_000, 0.5, log) : NaN;
            const meter = new CpuMeter(() => ({ bench: [process.pid] }), name);
            const cpu0 = meter.snapshot();
            const results = [];
            for (const p of profiles) {
                const sub = rows.slice(0, TEXTS[p.name]);
                results.push(await measure(p, ds, sub.map((r) => r.id), sub.map((r) => r.text), meter));
            }
            const cpu = CpuMeter.diff(cpu0, meter.snapshot());
            return report(results, { extversion, cpu, busyBefore });
        }
        finally {
            for (const p of profiles)
                await p.close().catch(() => undefined);
        }
    }, { prefix: 'sift_bench_embed', applicationName: 'sift-bench-embed' });
}
function report(results, env) {
    const tables = [];
    const checks = [];
    const figures = { pgvector: env.extversion, cpu: { ...env.cpu, machineBusyBeforeCores: env.busyBefore } };
    const notes = [];
    const throughput = [];
    const breakdown = [];
    const cpuRows = [];
    for (const { p, n, perBatch, noIndex } of results) {
        const rate = (ms) => n / (ms / 1000);
        const med = (xs, k) => median(xs.map((x) => x[k]));
        const pf = { model: p.model.id, label: p.label, texts: n, providerRunBatch: p.providerBatch };
        for (const batch of BATCHES) {
            const xs = perBatch.get(batch);
            const a = med(xs, 'aFullMs');
            const aw = med(xs, 'aNoWriteMs');
            const b = med(xs, 'bMs');
            const write = med(xs, 'aWriteMs');
            const miss = med(xs, 'aMissingMs');
            const ratio = rate(a) / rate(b);
            const runsOf = Math.min(batch, p.providerBatch);
            throughput.push([
                p.name,
                batch === p.cfg.EMBED_BATCH_SIZE ? `${batch} (default)` : String(batch),
                runsOf === batch ? String(batch) : `${runsOf} (provider)`,
                Math.round(rate(a)),
                Math.round(rate(aw)),
                Math.round(rate(b)),
                ratio.toFixed(p.name === 'glove' ? 4 : 3),
                (rate(aw) / rate(b)).toFixed(3),
                `${Math.round((100 * write) / a)} %`,
            ]);
            const cpuMed = (k) => median(xs.map((x) => x.cpu[k]));
            const perK = (cpuS) => ((1000 * cpuS) / n).toFixed(2);
            breakdown.push([p.name, String(batch), n, Math.round(a), Math.round(miss), Math.round(write), Math.round(aw), Math.round(b), Math.round(med(xs, 'prepMs'))]);
            cpuRows.push([p.name, String(batch), perK(cpuMed('aFull')), perK(cpuMed('aFullPg')), perK(cpuMed('aNoWrite')), perK(cpuMed('b')), (cpuMed('b') / cpuMed('aFull')).toFixed(3)]);
            if (p.name === 'minilm')
                checks.push(check(`A/B ratio, ${p.name}, EMBED_BATCH_SIZE ${batch}`, ratio, '>=', TARGET_RATIO, '', 3));
            pf[`batch${batch}`] = {
                aFullPerS: rate(a),
                aNoWritePerS: rate(aw),
                bRawPerS: rate(b),
                ratioAB: ratio,
                ratioNoWriteB: rate(aw) / rate(b),
                writeInFlightShare: write / a,
                medianMs: { aFull: a, aLoad: miss, aWriteInFlight: write, aNoWrite: aw, bRaw: b, tokeniseAndTensors: med(xs, 'prepMs') },
                runs: xs,
            };
        }
        const ni = median(noIndex.map((x) => x.ms));
        const niWrite = median(noIndex.map((x) => x.writeMs));
        pf.noHnswIndex = { batch: p.cfg.EMBED_BATCH_SIZE, aFullPerS: rate(ni), writeMs: niWrite, runs: noIndex };
        figures[p.name] = pf;
        const def = perBatch.get(p.cfg.EMBED_BATCH_SIZE) ?? perBatch.get(BATCHES[0]);
        const aDef = med(def, 'aFullMs');
        const wDef = med(def, 'aWriteMs');
        const awDef = med(def, 'aNoWriteMs');
        const perVec = (ms) => `${((1000 * ms) / n).toFixed(0)} µs`;
        if (p.name === 'glove') {
            notes.push(`glove is bounded by the Postgres write, not by the provider: a write is in flight ${Math.round((100 * wDef) / aDef)} % of A full's wall time (${perVec(wDef)} per vector, nearly all HNSW insertion at ef_construction ${p.cfg.SEARCH_HNSW_EF_CONSTRUCTION}: ${perVec(niWrite)} per vector without the index), while embedding costs ${perVec(awDef)} per text in the provider and ${perVec(med(def, 'bMs'))} in the bare ORT run; so A/B measures pgvector against an embedding bag, and no change to the embedding path can lift it near 0.8.`);
        }
        else {
            notes.push(`minilm: inference dominates (bare run ${perVec(med(def, 'bMs'))} per text); the pipelined write (${perVec(wDef)} per vector, HNSW included) overlaps the next chunk's embedding, so A full stays close to A no-write (${perVec(aDef)} vs ${perVec(awDef)} per text). Without the HNSW index: ${Math.round(rate(ni))}/s.`);
        }
    }
    tables.push({
        title: 'Sentences per second',
        headers: ['profile', 'EMBED_BATCH_SIZE', 'model call size', 'A full (load+embed+write)', 'A no write (provider)', 'B raw ORT run', 'A/B', 'A no-write/B', 'write in flight (% of A full)'],
        rows: throughput,
    });
    tables.push({
        title: "Where A's time goes (ms, medians)",
        headers: ['profile', 'batch', 'texts', 'A full', 'load texts', 'write in flight (+HNSW, overlaps embedding)', 'A no write', 'B raw run', 'tokenise + tensors (B prep)'],
        rows: breakdown,
    });
    tables.push({
        title: 'CPU-seconds per 1000 texts (medians; the machine is shared, so wall-clock ratios also carry other load)',
        headers: ['profile', 'batch', 'A full: bench process', 'A full: its Postgres backends', 'A no write', 'B raw run', 'B ÷ A full (bench process CPU)'],
        rows: cpuRows,
    });
    notes.unshift(`A full = EmbedProcessor.embedIds() over jobs of ${JOB} ids (load texts → EmbeddingsService.embed per EMBED_BATCH_SIZE chunk → EmbeddingsRepository.write incl. HNSW insert, pipelined with the next chunk's embedding); A no write = EmbeddingsService.embed() on the same chunks; B = session.run() on the same model calls, tensors built before timing. Passes shorter than ${MIN_SAMPLE_MS} ms are repeated and averaged.`, ...results.map((r) => `${r.p.name}: ${r.p.label}; provider model runs of ${r.p.providerBatch} texts (A and B alike).`), `CPU during the timed runs: bench process ${env.cpu.cores.bench?.toFixed(2)} cores, its Postgres backends ${env.cpu.cores.postgres?.toFixed(2)}, other processes ${env.cpu.otherCores.toFixed(2)} of ${env.cpu.machineCapacity.toFixed(0)}${Number.isFinite(env.busyBefore) ? ` (machine busy before start: ${env.busyBefore.toFixed(2)} cores)` : ''}.`);
    return emitReport({
        bench: 'embed',
        title: `Embedding throughput: product path vs raw onnxruntime (${results.map((r) => `${r.p.name} ${r.n} texts`).join(', ')}; median of ${RUNS})`,
        params: {
            profiles: PROFILES,
            texts: Object.fromEntries(results.map((r) => [r.p.name, r.n])),
            runs: RUNS,
            batches: BATCHES,
            jobIds: JOB,
            models: results.map((r) => r.p.model.id),
            threads: cfg0.EMBED_THREADS ?? 'ort default',
            pgvector: env.extversion,
            quick: QUICK,
        },
        tables,
        checks,
        figures,
        notes,
    });
}
runBench('embed', async () => {
    const result = await main();
    if (STRICT && !result.pass)
        process.exitCode = 1;
});
//# sourceMappingURL=embed.js.map