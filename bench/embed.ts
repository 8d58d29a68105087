/**
 * `npm run bench:embed` — sentences/s through the product's embedding path against the raw
 * onnxruntime session on the same, pre-tokenised batches.
 *
 *   node dist/bench/embed.js [--texts 20000 | --quick] [--runs 3] [--batches 64,128,256]
 *                            [--job 1000] [--no-wait] [--strict]
 *
 * - A fresh database `sift_bench_embed_<random>` is created, migrated with the app's migrations
 *   and dropped at the end (also on failure or Ctrl-C). The model is registered first (as the
 *   worker does at boot), so vector writes maintain the HNSW index like in production.
 * - Texts: --texts realistic posts (sample generator → real Jetstream adapter), COPYed into
 *   `events` before anything is timed.
 * - Path A "full": the worker's `EmbedProcessor.embedIds()` (real EmbeddingsService with the
 *   bundled model loaded by `loadGloveProvider`, real VectorStore) over the ids in jobs of --job
 *   ids (the relay enqueues one job per stored batch, RELAY_BATCH_SIZE): load the texts
 *   (`VectorStore.missing`), embed in EMBED_BATCH_SIZE chunks, `VectorStore.write` each chunk.
 *   `embeddings` is truncated before every run.
 * - Path A "no write": `EmbeddingsService.embed()` on the very same chunks, texts in memory
 *   (tokenise + tensors + run + per-vector copies).
 * - Path B "raw": `ort.InferenceSession.run()` (a session opened with the provider's options) on
 *   the same model calls A makes, tokenised and turned into tensors before the clock starts.
 * - Each run interleaves the paths (rotating order); figures are medians of --runs runs, after a
 *   warm-up pass of every path. Target: A/B ≥ 0.8 (per batch size tried).
 */
import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DataSource } from 'typeorm';
import { EmbedProcessor } from '../src/embeddings/embed.processor.js';
import { GloveTokenizer } from '../src/embeddings/providers/glove-tokenizer.js';
import { VectorStore, hnswIndexName } from '../src/embeddings/vector-store.js';
import { CpuMeter, waitForQuiet } from './lib/bench-env.js';
import { check, emitReport, median, parseFlags, type Cell, type Check, positiveIntFlag } from './lib/report.js';
import { benchConfig, copyEvents, log, postEvents, startEmbeddings, withClient } from './lib/search-fixture.js';
import { withTempDatabase } from './lib/temp-db.js';
import { gloveFeeds } from '../src/embeddings/providers/glove.provider.js';

const TARGET_RATIO = 0.8;
const flags = parseFlags();
const intFlag = (name: string, dflt: number) => positiveIntFlag(flags, name, dflt);
const QUICK = flags.has('quick');
const N = intFlag('texts', QUICK ? 5_000 : 20_000);
const RUNS = intFlag('runs', 3);
const BATCHES = String(flags.get('batches') ?? '64,128,256')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const WAIT = !flags.has('no-wait');
const STRICT = flags.has('strict');
const cfg = benchConfig();
const JOB = intFlag('job', cfg.RELAY_BATCH_SIZE ?? 1000);
const WARMUP = Math.min(N, 2_000);
/** In-memory paths finish in tens of ms: each measurement repeats them until this much time has passed and takes the mean pass. */
const MIN_SAMPLE_MS = 300;

/** Mean ms per pass of `pass`, repeated until MIN_SAMPLE_MS have passed (at least once, at most 50 times). */
async function meanPass(pass: () => Promise<unknown> | unknown): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  do {
    await pass();
    n++;
  } while (performance.now() - t0 < MIN_SAMPLE_MS && n < 50);
  return (performance.now() - t0) / n;
}

Logger.overrideLogger(['warn', 'error']);

/** Sums the time spent inside the store's calls during embedIds (the instrumentation is two clock reads per call). */
class TimedVectorStore extends VectorStore {
  missingMs = 0;
  writeMs = 0;
  reset() {
    this.missingMs = 0;
    this.writeMs = 0;
  }
  override async missing(modelId: string, ids: string[]) {
    const t0 = performance.now();
    try {
      return await super.missing(modelId, ids);
    } finally {
      this.missingMs += performance.now() - t0;
    }
  }
  override async write(modelId: string, rows: { eventId: string; vector: Float32Array }[]) {
    const t0 = performance.now();
    try {
      return await super.write(modelId, rows);
    } finally {
      this.writeMs += performance.now() - t0;
    }
  }
}

/** Id jobs of JOB, then EMBED_BATCH_SIZE chunks inside each job: the chunks embedIds makes. */
function chunksOf<T>(xs: readonly T[], batch: number): T[][] {
  const out: T[][] = [];
  for (let j = 0; j < xs.length; j += JOB) {
    const job = xs.slice(j, j + JOB);
    for (let i = 0; i < job.length; i += batch) out.push(job.slice(i, i + batch));
  }
  return out;
}

/** The provider's tensors for one model call: the provider's own builder. */
const feedsFor = gloveFeeds;

interface RunFigures {
  aFullMs: number;
  aMissingMs: number;
  aWriteMs: number;
  aNoWriteMs: number;
  bMs: number;
  /** Tokenise + tensor build for B's feeds (once, not repeated). */
  prepMs: number;
}

async function main() {
  const chainHead = cfg.EMBEDDINGS_CHAIN[0];
  if (!chainHead || chainHead.kind !== 'local') throw new Error('bench:embed wants a local first link in EMBEDDINGS_CHAIN (default glove-100d)');
  const modelDir = resolve(cfg.EMBEDDINGS_MODEL_DIR, chainHead.name);

  return withTempDatabase(
    async ({ ds, url, name }) => {
      const { service, model } = await startEmbeddings(cfg);
      // The provider splits every embed() call into model runs of its own batch size (loadGloveProvider's default, 128).
      const providerBatch = Number((model as unknown as { batchSize?: number }).batchSize ?? 128);
      const store = new TimedVectorStore(ds);
      await store.registerModel(model, { m: cfg.SEARCH_HNSW_M!, efConstruction: cfg.SEARCH_HNSW_EF_CONSTRUCTION! });
      const [{ extversion }] = await ds.query(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);

      log(`generating ${N} posts and loading them into ${name}`);
      const events = postEvents(N, 42);
      await withClient(url, (c) => copyEvents(c, events));
      await ds.query(`VACUUM ANALYZE events`);
      const rows: { id: string; text: string }[] = await ds.query(`SELECT e.id::text AS id, e.text FROM events e ORDER BY e.id`);
      if (rows.length !== N) throw new Error(`loaded ${rows.length} events, wanted ${N}`);
      const ids = rows.map((r) => r.id);
      const texts = rows.map((r) => r.text);

      const session = await ort.InferenceSession.create(resolve(modelDir, 'model.onnx'), {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...(cfg.EMBED_THREADS ? { intraOpNumThreads: cfg.EMBED_THREADS } : {}),
      });
      const tok = await GloveTokenizer.fromModelDir(modelDir);
      const fakeJobs = {} as never; // embedIds never touches the queue or the schema state
      const fakeSchema = {} as never;

      const processorFor = (batch: number) => new EmbedProcessor({ ...cfg, EMBED_BATCH_SIZE: batch }, fakeJobs, service, store, fakeSchema);
      const truncate = async () => {
        await ds.query(`TRUNCATE embeddings`);
        await ds.query(`CHECKPOINT`);
      };
      const runFull = async (batch: number, subset = ids) => {
        const proc = processorFor(batch);
        await truncate();
        store.reset();
        const t0 = performance.now();
        let written = 0;
        for (let j = 0; j < subset.length; j += JOB) written += await proc.embedIds(subset.slice(j, j + JOB));
        const ms = performance.now() - t0;
        if (written !== subset.length) throw new Error(`embedIds wrote ${written} vectors, wanted ${subset.length}`);
        return { ms, missingMs: store.missingMs, writeMs: store.writeMs };
      };
      const runNoWrite = (chunks: string[][]) =>
        meanPass(async () => {
          let n = 0;
          for (const chunk of chunks) n += (await service.embed(chunk, model.id)).length;
          if (n !== chunks.reduce((a, c) => a + c.length, 0)) throw new Error('embed returned the wrong count');
        });
      const runRaw = (feeds: Record<string, ort.Tensor>[]) =>
        meanPass(async () => {
          for (const f of feeds) await session.run(f);
        });
      /** B's model calls: each A chunk split at the provider's batch size, like GloveProvider.embed does. */
      const rawFeeds = (chunks: string[][]) =>
        chunks.flatMap((c) => {
          const out: Record<string, ort.Tensor>[] = [];
          for (let i = 0; i < c.length; i += providerBatch) out.push(feedsFor(tok, c.slice(i, i + providerBatch)));
          return out;
        });

      // Warm-up: every path once on a slice (JIT, onnxruntime arenas, Postgres caches).
      log('warm-up');
      await runFull(cfg.EMBED_BATCH_SIZE, ids.slice(0, WARMUP));
      await runNoWrite(chunksOf(texts.slice(0, WARMUP), cfg.EMBED_BATCH_SIZE));
      await runRaw(rawFeeds(chunksOf(texts.slice(0, WARMUP), cfg.EMBED_BATCH_SIZE)));
      for (const t of texts.slice(0, WARMUP)) tok.encode(t);

      const busyBefore = WAIT ? await waitForQuiet(120_000, 0.5, log) : NaN;
      const meter = new CpuMeter(() => ({ bench: [process.pid] }), name);
      const cpu0 = meter.snapshot();

      const perBatch = new Map<number, RunFigures[]>();
      const tokeniseMs: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        // Tokeniser alone (attribution): the same encode() the provider calls, no tensors.
        tokeniseMs.push(await meanPass(() => texts.forEach((t) => tok.encode(t))));
        for (const batch of BATCHES) {
          const chunks = chunksOf(texts, batch);
          const t0 = performance.now();
          const feeds = rawFeeds(chunks);
          const fig: Partial<RunFigures> = { prepMs: performance.now() - t0 };
          const steps: (() => Promise<void>)[] = [
            async () => {
              const f = await runFull(batch);
              fig.aFullMs = f.ms;
              fig.aMissingMs = f.missingMs;
              fig.aWriteMs = f.writeMs;
            },
            async () => void (fig.aNoWriteMs = await runNoWrite(chunks)),
            async () => void (fig.bMs = await runRaw(feeds)),
          ];
          // Rotate the order per run so no path always runs first (or right after a CHECKPOINT).
          for (let s = 0; s < steps.length; s++) await steps[(s + r) % steps.length]!();
          const list = perBatch.get(batch) ?? [];
          list.push(fig as RunFigures);
          perBatch.set(batch, list);
          log(`run ${r + 1}/${RUNS} batch ${batch}: A full ${fig.aFullMs!.toFixed(0)} ms, A no-write ${fig.aNoWriteMs!.toFixed(0)} ms, B raw ${fig.bMs!.toFixed(0)} ms`);
        }
      }

      // Where the write goes: the same full path with the HNSW index dropped (informational).
      const idx = hnswIndexName(model.id);
      await ds.query(`DROP INDEX ${idx}`);
      const noIndex: { ms: number; writeMs: number }[] = [];
      for (let r = 0; r < RUNS; r++) {
        const f = await runFull(cfg.EMBED_BATCH_SIZE);
        noIndex.push({ ms: f.ms, writeMs: f.writeMs });
      }
      const cpu = CpuMeter.diff(cpu0, meter.snapshot());
      await session.release();
      await service.onApplicationShutdown();

      // ---- report
      const rate = (ms: number) => N / (ms / 1000);
      const med = (xs: RunFigures[], k: keyof RunFigures) => median(xs.map((x) => x[k]));
      const throughput: Cell[][] = [];
      const breakdown: Cell[][] = [];
      const checks: Check[] = [];
      const figures: Record<string, unknown> = {};
      const tokMs = median(tokeniseMs);
      for (const batch of BATCHES) {
        const xs = perBatch.get(batch)!;
        const a = med(xs, 'aFullMs');
        const aw = med(xs, 'aNoWriteMs');
        const b = med(xs, 'bMs');
        const ratio = rate(a) / rate(b);
        const runsOf = Math.min(batch, providerBatch);
        throughput.push([
          batch === cfg.EMBED_BATCH_SIZE ? `${batch} (default)` : String(batch),
          runsOf === batch ? String(batch) : `${runsOf} (provider cap)`,
          Math.round(rate(a)),
          Math.round(rate(aw)),
          Math.round(rate(b)),
          ratio.toFixed(4),
          (rate(aw) / rate(b)).toFixed(3),
        ]);
        const miss = med(xs, 'aMissingMs');
        const write = med(xs, 'aWriteMs');
        breakdown.push([String(batch), Math.round(a), Math.round(miss), Math.round(a - miss - write), Math.round(write), Math.round(aw), Math.round(b), Math.round(tokMs), Math.round(med(xs, 'prepMs'))]);
        checks.push(check(`A/B ratio, EMBED_BATCH_SIZE ${batch}`, ratio, '>=', TARGET_RATIO, '', 4));
        figures[`batch${batch}`] = {
          providerRunBatch: runsOf,
          aFullPerS: rate(a),
          aNoWritePerS: rate(aw),
          bRawPerS: rate(b),
          ratioAB: ratio,
          ratioNoWriteB: rate(aw) / rate(b),
          medianMs: { aFull: a, aLoad: miss, aEmbed: a - miss - write, aWrite: write, aNoWrite: aw, bRaw: b, tokeniseAndTensors: med(xs, 'prepMs') },
          runs: xs,
        };
      }
      const ni = median(noIndex.map((x) => x.ms));
      const niWrite = median(noIndex.map((x) => x.writeMs));
      const withIdx = perBatch.get(cfg.EMBED_BATCH_SIZE);
      figures.noHnswIndex = { batch: cfg.EMBED_BATCH_SIZE, aFullPerS: rate(ni), writeMs: niWrite, runs: noIndex };
      figures.tokeniseOnly = { ms: tokMs, perS: rate(tokMs), runs: tokeniseMs };
      figures.cpu = { ...cpu, machineBusyBeforeCores: busyBefore };
      figures.pgvector = extversion;

      const notes = [
        `A full = EmbedProcessor.embedIds() over ${Math.ceil(N / JOB)} jobs of ${JOB} ids (load texts → EmbeddingsService.embed per EMBED_BATCH_SIZE chunk → VectorStore.write incl. HNSW insert); A no write = EmbeddingsService.embed() on the same chunks; B = session.run() on the same model calls, tensors built before timing. A no write, B and tokenise-only are in-memory and fast, so each of their measurements repeats the pass for ≥ ${MIN_SAMPLE_MS} ms and takes the mean pass.`,
        `Tokenising alone (GloveTokenizer.encode, ${N} texts): ${Math.round(tokMs)} ms = ${Math.round(rate(tokMs))} texts/s; B needs ${Math.round(med(perBatch.get(BATCHES[0]!)!, 'bMs'))} ms for the model at batch ${BATCHES[0]}.`,
        `Batches above ${providerBatch}: the glove provider is loaded without a batchSize (defaultModelLoaders), so it runs ${providerBatch}-text model calls whatever EMBED_BATCH_SIZE says; B mirrors those calls.`,
        `CPU during the timed runs: bench process ${cpu.cores.bench?.toFixed(2)} cores, its Postgres backends ${cpu.cores.postgres?.toFixed(2)}, other processes ${cpu.otherCores.toFixed(2)} of ${cpu.machineCapacity.toFixed(0)}${Number.isFinite(busyBefore) ? ` (machine busy before start: ${busyBefore.toFixed(2)} cores)` : ''}.`,
      ];
      if (withIdx) {
        const w = med(withIdx, 'aWriteMs');
        notes.push(`Without the HNSW index (batch ${cfg.EMBED_BATCH_SIZE}): A full ${Math.round(rate(ni))}/s, writes ${Math.round(niWrite)} ms vs ${Math.round(w)} ms with it (index maintenance ≈ ${Math.round(w - niWrite)} ms of ${Math.round(med(withIdx, 'aFullMs'))} ms).`);
      }
      const report = emitReport({
        bench: 'embed',
        title: `Embedding throughput: product path vs raw onnxruntime (${N} texts, median of ${RUNS})`,
        params: { texts: N, runs: RUNS, batches: BATCHES, jobIds: JOB, model: model.id, threads: cfg.EMBED_THREADS ?? 'ort default', pgvector: extversion, quick: QUICK },
        tables: [
          {
            title: 'Sentences per second',
            headers: ['EMBED_BATCH_SIZE', 'model call size', 'A full (load+embed+write)', 'A no write (provider)', 'B raw ORT run', 'A/B', 'A no-write/B'],
            rows: throughput,
          },
          {
            title: `Where A's time goes (ms for ${N} texts, medians)`,
            headers: ['batch', 'A full', 'load texts', 'embed', 'write (+HNSW)', 'A no write', 'B raw run', 'tokenise only', 'tokenise + tensors'],
            rows: breakdown,
          },
        ],
        checks,
        figures,
        notes,
      });
      return report;
    },
    { prefix: 'sift_bench_embed', applicationName: 'sift-bench-embed' },
  );
}

main().then(
  (r) => process.exit(STRICT && !r.pass ? 1 : 0),
  (err) => {
    process.stderr.write(`bench:embed failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
