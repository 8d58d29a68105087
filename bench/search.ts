/**
 * `npm run bench:search` — hybrid search latency (p50/p99) and HNSW recall@10 against an exact
 * scan, on a corpus of realistic posts embedded with the bundled model.
 *
 *   node dist/bench/search.js [--quick | --full] [--sizes 100000,1000000] [--queries 500]
 *                             [--recall-queries 200] [--warmup 50] [--maintenance-work-mem 4GB|server]
 *                             [--write-probe 2000] [--budget-min 15] [--efs 40,100,200,400] [--force] [--strict]
 *                             [--hnsw 24x200,32x200]
 *
 * HNSW parameters come from the usual env vars (SEARCH_HNSW_M, SEARCH_HNSW_EF_CONSTRUCTION,
 * SEARCH_EF_SEARCH, SEARCH_CANDIDATES), so a tuning can be measured before it ships, e.g.
 * `SEARCH_HNSW_EF_CONSTRUCTION=200 SEARCH_EF_SEARCH=200 npm run bench:search`. --hnsw MxEFC,…
 * measures several builds on one corpus per size (index dropped and rebuilt, recall per build);
 * latency and the write probe run on the last one.
 *
 * Sizes: --quick 20k; default 100k (and an extrapolation for 1M, labelled as such); --full 100k
 * then 1M (1M is skipped with an extrapolation if the 100k run predicts more than --budget-min
 * minutes for it, unless --force).
 *
 * Per size, in a fresh database `sift_bench_search_<random>` (migrated with the app's migrations,
 * dropped at the end, also on failure or Ctrl-C):
 * - Setup (timed and reported, but not the subject): posts from the sample generator (50k per
 *   seed, seeds varied) parsed by the real Jetstream adapter and COPYed into `events`; embedded
 *   by the product's EmbeddingsService (bundled model via loadGloveProvider); vectors COPYed in
 *   binary; VACUUM ANALYZE; then `EmbeddingsRepository.registerModel()` builds the per-model partial HNSW
 *   index (SEARCH_HNSW_M / SEARCH_HNSW_EF_CONSTRUCTION) — build time and pg_relation_size reported.
 *   maintenance_work_mem for the build is set per database (default 4GB, see the notes).
 * - Recall@10: `EmbeddingsRepository.nearest()` at ef_search 40/100/200 against the same query run as an
 *   exact scan (`SET LOCAL enable_indexscan = off`, checked with EXPLAIN), over --recall-queries
 *   held-out query texts. A hit counts when it is in the exact top 10, or ties the exact 10th
 *   distance (duplicate texts make exact ties common); the strict id overlap is reported too, and
 *   the hits within 1 % of the exact 10th distance (near-ties).
 * - Latency: the real `SearchService.search()` (real EmbeddingsService, EmbeddingsRepository,
 *   EventsRepository and SearchBudget over an in-memory counter store), --queries search-box
 *   queries one at a time after --warmup queries, for hybrid, semantic and keyword (limit 20, the
 *   API default); plus the legs of a hybrid query and the coverage count it caches for 5 s, and
 *   the keyword leg's statement from before SEARCH_KEYWORD_MAX_MATCHES (every match ranked),
 *   interleaved with the capped one as its baseline.
 * - Incremental writes: --write-probe new vectors written through `EmbeddingsRepository.write()` into the
 *   built index (the worker's steady-state write cost at this index size).
 */
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../libs/database/index.js';
import { SearchService, type SearchMode } from '../src/search/search.service.js';
import { EVENT_COLUMNS, EventsRepository } from '../src/events/events.repository.js';
import { MemoryCounterStore } from '../src/api/limits/counter-store.js';
import { SearchBudget } from '../src/api/limits/search-budget.js';
import type { EmbeddingsService } from '../src/embeddings/embeddings.service.js';
import type { EmbeddingProvider } from '../src/embeddings/providers/provider.js';
import { EmbeddingsRepository, hnswIndexName, toVectorLiteral } from '../src/embeddings/embeddings.repository.js';
import { Db } from '../libs/database/index.js';
import { MIGRATIONS } from '../src/schema.js';
import { CpuMeter, runBench, waitForQuiet } from './lib/bench-env.js';
import { check, emitReport, fmt, fmtMiB, median, parseFlags, type Cell, type Check, positiveIntFlag } from './lib/report.js';
import {
  benchConfig,
  copyEvents,
  copyVectors,
  latencyStats,
  log,
  makeQueries,
  postEventChunks,
  postEvents,
  startEmbeddings,
  withClient,
  type BenchQuery,
  type LatencyStats,
  type QueryKind,
} from './lib/search-fixture.js';
import { ModelsRepository } from '../src/models/models.repository.js';
import { ModelsService } from '../src/models/models.service.js';
import { withTempDatabase } from './lib/temp-db.js';

const TARGET_RECALL = 0.95;
const K = 10;
const flags = parseFlags();
const intFlag = (name: string, dflt: number) => positiveIntFlag(flags, name, dflt);
const QUICK = flags.has('quick');
const FULL = flags.has('full');
const FORCE = flags.has('force');
const STRICT = flags.has('strict');
const SIZES = flags.has('sizes')
  ? String(flags.get('sizes')).split(',').map((s) => Number(s.trim()))
  : QUICK
    ? [20_000]
    : FULL
      ? [100_000, 1_000_000]
      : [100_000];
const QUERIES = intFlag('queries', QUICK ? 200 : 500);
const RECALL_QUERIES = intFlag('recall-queries', 200);
const WARMUP = intFlag('warmup', 50);
const WRITE_PROBE = intFlag('write-probe', 2_000);
const BUDGET_MIN = intFlag('budget-min', 15);
// The HNSW graph must fit or pgvector finishes the build on disk, far slower: at 1M vectors (100 dims)
// 1GB did not hold even m 16 (49 min); with 4GB m 32 builds in memory, in parallel, in ~10 min.
const MWM = String(flags.get('maintenance-work-mem') ?? '4GB');
const LIMIT = 20; // the API's default page
const EXTRAPOLATE_TO = 1_000_000;
if (SIZES.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--sizes wants integers >= 1000');

// The search SearchService runs with: the API's knobs as configured, and a budget no bench can spend.
const cfg = benchConfig({ API_SEARCH_EMBED_BUDGET_PER_MIN: '10000000' });
/** ef_search values for the recall table (always including the configured one). */
const EFS = [
  ...new Set([...(flags.has('efs') ? String(flags.get('efs')).split(',').map((s) => Number(s.trim())) : [40, 100, 200, 400]), cfg.SEARCH_EF_SEARCH ?? 100]),
].sort((a, b) => a - b);
if (EFS.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error('--efs wants integers 1..1000');
/** HNSW builds to measure per size, in order (the last one also gets the latency runs); default: the configured one. */
const BUILDS: { m: number; efConstruction: number }[] = flags.has('hnsw')
  ? String(flags.get('hnsw')).split(',').map((s) => {
      const [m, efConstruction] = s.trim().split('x').map(Number);
      if (!Number.isInteger(m) || !Number.isInteger(efConstruction) || m! < 2 || m! > 100 || efConstruction! < 4 || efConstruction! > 1000) {
        throw new Error(`--hnsw wants MxEF_CONSTRUCTION pairs (m 2..100, ef_construction 4..1000), got ${s}`);
      }
      return { m: m!, efConstruction: efConstruction! };
    })
  : [{ m: cfg.SEARCH_HNSW_M!, efConstruction: cfg.SEARCH_HNSW_EF_CONSTRUCTION! }];
const buildLabel = (b: { m: number; efConstruction: number }) => `m ${b.m}, ef_c ${b.efConstruction}`;

Logger.overrideLogger(['warn', 'error']);

interface Setup {
  generateMs: number;
  copyEventsMs: number;
  embedMs: number;
  copyVectorsMs: number;
  vacuumMs: number;
  buildMs: number;
  indexBytes: number;
  embeddingsHeapBytes: number;
  eventsTotalBytes: number;
  textGinBytes: number;
  distinctTexts: number;
}

interface RecallRow {
  /** The build measured. */
  m: number;
  efConstruction: number;
  ef: number;
  recallTies: number;
  recallStrict: number;
  /** Hits within 1 % of the exact 10th distance (near-ties: how much of the miss is a coin toss among equals). */
  recallNear: number;
  /** Recall (ties counted) per query shape. */
  byKind: Partial<Record<QueryKind, number>>;
  latency: LatencyStats;
}

interface SizeResult {
  size: number;
  wallMs: number;
  setup: Setup;
  /** Every build measured (setup.buildMs/indexBytes are the last one's). */
  builds: { m: number; efConstruction: number; buildMs: number; indexBytes: number }[];
  plans: { nearest: string; exact: string; nearestUsesHnsw: boolean; exactAvoidsHnsw: boolean };
  recall: RecallRow[];
  exactLatency: LatencyStats;
  latency: Record<string, LatencyStats>;
  byKind: Record<string, Record<string, LatencyStats>>;
  avgHits: Record<string, number>;
  fallbacks: Record<string, number>;
  writeProbe: { vectors: number; ms: number; perVectorMs: number; perS: number };
  /** Wall time of the phases after setup (for the extrapolation): waiting for a quiet machine, exact scans, the rest of recall, search latency runs, write probe. */
  phasesMs: { wait: number; exact: number; recallOther: number; search: number; writeProbe: number };
  cpu: { otherCores: number; postgresCores: number; benchCores: number; busyBefore: number };
}

const nearestSql = (model: Pick<EmbeddingProvider, 'id' | 'dims'>) =>
  // The statement EmbeddingsRepository.nearest() issues without filters (model id inlined as a literal, as it does).
  `SELECT m.event_id::text AS id, (m.embedding::vector(${model.dims}) <=> $1::vector(${model.dims})) AS distance
   FROM embeddings m WHERE m.model_id = '${model.id.replace(/'/g, "''")}'
   ORDER BY m.embedding::vector(${model.dims}) <=> $1::vector(${model.dims}) LIMIT $2`;

/** The same statement with index scans off: a (parallel) sequential scan + top-k sort, i.e. exact. */
async function exactNearest(ds: DataSource, model: EmbeddingProvider, vec: Float32Array, k: number) {
  return ds.transaction(async (m) => {
    await m.query(`SET LOCAL enable_indexscan = off`);
    const rows: { id: string; distance: number }[] = await m.query(nearestSql(model), [toVectorLiteral(vec), k]);
    return rows.map((r) => ({ id: r.id, distance: Number(r.distance) }));
  });
}

async function explain(ds: DataSource, model: EmbeddingProvider, vec: Float32Array, exact: boolean): Promise<string> {
  return ds.transaction(async (m) => {
    await m.query(`SET LOCAL hnsw.ef_search = 100`);
    if (exact) await m.query(`SET LOCAL enable_indexscan = off`);
    const rows: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN ${nearestSql(model)}`, [toVectorLiteral(vec), K]);
    return rows.map((r) => r['QUERY PLAN'].trim()).join(' | ');
  });
}

/** The keyword statement before the cap: ts_rank_cd over every matching row, then top k. */
async function keywordRankAll(ds: DataSource, q: string, k: number): Promise<number> {
  const rows: unknown[] = await ds.query(
    `SELECT ${EVENT_COLUMNS}, ts_rank_cd(e.text_tsv, query) AS rank
     FROM events e, websearch_to_tsquery('english', $1) query
     WHERE e.text_tsv @@ query ORDER BY rank DESC, e.id DESC LIMIT $2`,
    [q, k],
  );
  return rows.length;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

async function relSize(ds: DataSource, sql: string): Promise<number> {
  const [r] = await ds.query(`SELECT (${sql})::bigint AS b`);
  return Number(r.b);
}

async function runSize(size: number, service: EmbeddingsService, model: EmbeddingProvider, recallQs: BenchQuery[], queries: BenchQuery[], warm: BenchQuery[]): Promise<SizeResult> {
  const t0 = performance.now();
  return withTempDatabase(
    async ({ ds: migrated, url, name }) => {
      // A per-database default, so the pool's connections (and registerModel's CREATE INDEX) get it.
      if (MWM !== 'server') await migrated.query(`ALTER DATABASE ${name} SET maintenance_work_mem = '${MWM.replace(/[^0-9A-Za-z]/g, '')}'`);
      const ds = createDataSource({ url, migrations: MIGRATIONS, poolMax: 10, applicationName: 'sift-bench-search' });
      await ds.initialize();
      try {
        const store = new EmbeddingsRepository(Db.of(ds));
        const setup: Partial<Setup> = { generateMs: 0, copyEventsMs: 0, embedMs: 0, copyVectorsMs: 0 };

        // ---- setup: events and vectors
        log(`[${fmt(size)}] generating, loading and embedding ${fmt(size)} posts into ${name}`);
        await ds.query(`ALTER TABLE events DISABLE TRIGGER trg_events_count_entities`); // per-minute entity counts: not what this bench is about
        await withClient(url, async (c) => {
          const gen = postEventChunks(size, 1000);
          let lastId = '0';
          for (;;) {
            const [step, gms] = await timed(async () => gen.next());
            setup.generateMs! += gms;
            if (step.done) break;
            const events = step.value;
            setup.copyEventsMs! += (await timed(() => copyEvents(c, events)))[1];
            const rows = (await c.query(`SELECT e.id::text AS id, e.text FROM events e WHERE e.id > $1 ORDER BY e.id`, [lastId])).rows as { id: string; text: string }[];
            lastId = rows[rows.length - 1]!.id;
            const [vectors, ems] = await timed(() => service.embed(rows.map((r) => r.text), model.id));
            setup.embedMs! += ems;
            setup.copyVectorsMs! += (await timed(() => copyVectors(c, model.id, rows.map((r, i) => ({ eventId: r.id, vector: vectors[i]! })))))[1];
            log(`[${fmt(size)}]   ${fmt(Number(lastId))} events loaded and embedded`);
          }
        });
        await ds.query(`ALTER TABLE events ENABLE TRIGGER trg_events_count_entities`);
        setup.vacuumMs = (await timed(async () => {
          await ds.query(`VACUUM ANALYZE events`);
          await ds.query(`VACUUM ANALYZE embeddings`);
        }))[1];
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM embeddings WHERE model_id = $1`, [model.id]);
        if (n !== size) throw new Error(`${n} vectors stored, wanted ${size}`);
        const [{ d }] = await ds.query(`SELECT count(DISTINCT text)::int AS d FROM events`);
        setup.distinctTexts = d;

        setup.embeddingsHeapBytes = await relSize(ds, `pg_relation_size('embeddings')`);
        setup.eventsTotalBytes = await relSize(ds, `pg_total_relation_size('events')`);
        setup.textGinBytes = await relSize(ds, `pg_relation_size('idx_events_text_tsv')`);
        const idx = hnswIndexName(model.id);
        const recallVecs = await service.embed(recallQs.map((q) => q.q), model.id);
        const [probeVec] = await service.embed(['central bank raising rates'], model.id);
        const builds: SizeResult['builds'] = [];
        const recall: RecallRow[] = [];
        const exactMs: number[] = [];
        let planInfo: SizeResult['plans'] | undefined;
        let waitMs = 0;
        let busyBefore = 0;
        let meter: CpuMeter | undefined;
        let cpu0: ReturnType<CpuMeter['snapshot']> | undefined;
        const tRecall = performance.now();
        for (const [bi, build] of BUILDS.entries()) {
          // ---- the product's index build
          if (bi > 0) await ds.query(`DROP INDEX ${idx}`);
          log(`[${fmt(size)}] building the HNSW index (registerModel, m=${build.m}, ef_construction=${build.efConstruction}, maintenance_work_mem=${MWM})`);
          const buildMs = (await timed(() => store.registerModel(model, build)))[1];
          const indexBytes = await relSize(ds, `pg_relation_size('${idx}')`);
          builds.push({ ...build, buildMs, indexBytes });
          setup.buildMs = buildMs;
          setup.indexBytes = indexBytes;
          log(`[${fmt(size)}] index built in ${fmt(buildMs / 1000, 1)} s (${fmtMiB(indexBytes)})`);

          const plans = { nearest: await explain(ds, model, probeVec!, false), exact: await explain(ds, model, probeVec!, true) };
          planInfo = { ...plans, nearestUsesHnsw: plans.nearest.includes(idx), exactAvoidsHnsw: !plans.exact.includes(idx) };
          if (!planInfo.exactAvoidsHnsw) throw new Error(`the exact query still uses the HNSW index: ${plans.exact}`);
          // An ANN statement planned as a scan would measure recall 1.0 for the wrong reason.
          if (!planInfo.nearestUsesHnsw) throw new Error(`the kNN query does not use the HNSW index: ${plans.nearest}`);

          const tWait = performance.now();
          busyBefore = await waitForQuiet(120_000, 0.5, log);
          waitMs += performance.now() - tWait;
          meter ??= new CpuMeter(() => ({ bench: [process.pid] }), name);
          cpu0 ??= meter.snapshot();

          // ---- recall@10 (the exact scans are the same for every build: timed on the first)
          log(`[${fmt(size)}] recall@${K} (${buildLabel(build)}): ${recallQs.length} queries, exact scan vs ef_search ${EFS.join('/')}`);
          for (const v of recallVecs.slice(0, Math.min(WARMUP, recallVecs.length))) {
            for (const ef of EFS) await store.nearest(model, v, K, { efSearch: ef });
          }
          const perEf = new Map<number, { ties: number; strict: number; near: number; ms: number[]; kinds: Map<QueryKind, { hits: number; n: number }> }>(
            EFS.map((ef) => [ef, { ties: 0, strict: 0, near: 0, ms: [], kinds: new Map() }]),
          );
          for (const [qi, v] of recallVecs.entries()) {
            const kind = recallQs[qi]!.kind;
            const [exact, ems] = await timed(() => exactNearest(ds, model, v, K));
            if (bi === 0) exactMs.push(ems);
            const exactIds = new Set(exact.map((e) => e.id));
            const kth = exact[exact.length - 1]?.distance ?? Infinity;
            for (const ef of EFS) {
              const [hits, ms] = await timed(() => store.nearest(model, v, K, { efSearch: ef }));
              const acc = perEf.get(ef)!;
              acc.ms.push(ms);
              const kacc = acc.kinds.get(kind) ?? { hits: 0, n: 0 };
              kacc.n += K;
              for (const h of hits) {
                const inSet = exactIds.has(h.id);
                if (inSet) acc.strict++;
                if (inSet || h.distance <= kth * 1.01 + 1e-6) acc.near++;
                if (inSet || h.distance <= kth + 1e-6) {
                  acc.ties++;
                  kacc.hits++;
                }
              }
              acc.kinds.set(kind, kacc);
            }
          }
          const denom = recallVecs.length * K;
          for (const ef of EFS) {
            const a = perEf.get(ef)!;
            const byKind = Object.fromEntries([...a.kinds].map(([k, x]) => [k, x.hits / x.n]));
            recall.push({ ...build, ef, recallTies: a.ties / denom, recallStrict: a.strict / denom, recallNear: a.near / denom, byKind, latency: latencyStats(a.ms) });
            log(`[${fmt(size)}]   ef_search ${ef}: recall@${K} ${a.ties / denom} (strict ${a.strict / denom}, within 1% of the 10th distance ${a.near / denom})`);
          }
        }

        const tSearch = performance.now();
        // No registry rows in the bench database: queries use the chain's model, as before.
        const queryModels = () => new ModelsService(cfg, new ModelsRepository(Db.of(ds)), service, store, new EventsRepository(Db.of(ds)));
        // ---- latency through the real SearchService
        const search = new SearchService(service, store, new EventsRepository(Db.of(ds)), new SearchBudget(cfg, new MemoryCounterStore()), cfg, queryModels());
        const latency: Record<string, LatencyStats> = {};
        const byKind: Record<string, Record<string, LatencyStats>> = {};
        const avgHits: Record<string, number> = {};
        const fallbacks: Record<string, number> = {};
        const modes: SearchMode[] = ['hybrid', 'semantic', 'keyword'];
        for (const mode of modes) {
          log(`[${fmt(size)}] ${mode}: ${warm.length} warm-up + ${queries.length} queries`);
          for (const q of warm) await search.search(q.q, { mode, limit: LIMIT });
          const ms: number[] = [];
          const kinds = new Map<QueryKind, number[]>();
          let hits = 0;
          let fb = 0;
          for (const q of queries) {
            const [r, t] = await timed(() => search.search(q.q, { mode, limit: LIMIT }));
            ms.push(t);
            kinds.set(q.kind, [...(kinds.get(q.kind) ?? []), t]);
            hits += r.hits.length;
            if (r.fallback || r.mode !== mode) fb++;
          }
          latency[mode] = latencyStats(ms);
          byKind[mode] = Object.fromEntries([...kinds].map(([k, xs]) => [k, latencyStats(xs)]));
          avgHits[mode] = hits / queries.length;
          fallbacks[mode] = fb;
        }
        // The legs of a hybrid query, one at a time (same queries).
        log(`[${fmt(size)}] hybrid legs`);
        const legEmbed: number[] = [];
        const legKnn: number[] = [];
        const legKw: number[] = [];
        const legKwAll: number[] = [];
        const k = Math.max(LIMIT, cfg.SEARCH_CANDIDATES ?? 100);
        for (const q of queries) {
          const [[vec], te] = await timed(() => service.embed([q.q], model.id));
          legEmbed.push(te);
          legKnn.push((await timed(() => store.nearest(model, vec!, k, { efSearch: cfg.SEARCH_EF_SEARCH })))[1]);
          // The keyword leg and its baseline (every match ranked), alternating which goes first so
          // neither always finds the other's pages cached.
          const capped = async () => legKw.push((await timed(() => search.search(q.q, { mode: 'keyword', limit: k })))[1]);
          const all = async () => legKwAll.push((await timed(() => keywordRankAll(ds, q.q, k)))[1]);
          if (legKw.length % 2 === 0) await capped().then(all);
          else await all().then(capped);
        }
        latency['leg: query embedding'] = latencyStats(legEmbed);
        latency[`leg: kNN k=${k} (nearest)`] = latencyStats(legKnn);
        latency[`leg: keyword k=${k}`] = latencyStats(legKw);
        latency[`leg: keyword k=${k}, every match ranked (before the cap)`] = latencyStats(legKwAll);
        // Attribution: the same hybrid queries through a second SearchService whose 5 s coverage
        // cache never expires (the difference to the hybrid row is what the inline coverage count costs).
        log(`[${fmt(size)}] hybrid with the coverage cache held warm (attribution)`);
        const warmCov = new SearchService(service, store, new EventsRepository(Db.of(ds)), new SearchBudget(cfg, new MemoryCounterStore()), cfg, queryModels());
        (warmCov as unknown as { coverageCache: unknown }).coverageCache = { model: model.id, value: 1, at: Date.now() + 1e12 };
        const hw: number[] = [];
        for (const q of queries) hw.push((await timed(() => warmCov.search(q.q, { mode: 'hybrid', limit: LIMIT })))[1]);
        latency['hybrid, coverage cache held warm'] = latencyStats(hw);
        const cov: number[] = [];
        for (let i = 0; i < 5; i++) cov.push((await timed(() => new EventsRepository(Db.of(ds)).vectorCoverage(model.id)))[1]);
        latency['coverage() (cached 5 s)'] = latencyStats(cov);
        const cpu = CpuMeter.diff(cpu0!, meter!.snapshot());

        const tProbe = performance.now();
        // ---- incremental writes into the built index (after the latency runs: coverage stays 1 for them)
        log(`[${fmt(size)}] write probe: ${WRITE_PROBE} vectors through EmbeddingsRepository.write`);
        const probeEvents = postEvents(WRITE_PROBE, 5_000_000);
        await withClient(url, (c) => copyEvents(c, probeEvents));
        const fresh: { id: string; text: string }[] = await ds.query(
          `SELECT e.id::text AS id, e.text FROM events e WHERE NOT EXISTS (SELECT 1 FROM embeddings m WHERE m.event_id = e.id) ORDER BY e.id`,
        );
        const freshVecs = await service.embed(fresh.map((r) => r.text), model.id);
        let wms = 0;
        for (let i = 0; i < fresh.length; i += cfg.EMBED_BATCH_SIZE) {
          const rows = fresh.slice(i, i + cfg.EMBED_BATCH_SIZE).map((r, j) => ({ eventId: r.id, vector: freshVecs[i + j]! }));
          wms += (await timed(() => store.write(model.id, rows)))[1];
        }
        const writeProbe = { vectors: fresh.length, ms: wms, perVectorMs: wms / fresh.length, perS: fresh.length / (wms / 1000) };
        const exactTotal = exactMs.reduce((a, b) => a + b, 0);
        const phasesMs = {
          wait: waitMs,
          exact: exactTotal,
          recallOther: tSearch - tRecall - waitMs - exactTotal - builds.reduce((a, b) => a + b.buildMs, 0),
          search: tProbe - tSearch,
          writeProbe: performance.now() - tProbe,
        };

        return {
          size,
          wallMs: performance.now() - t0,
          setup: setup as Setup,
          builds,
          plans: planInfo!,
          recall,
          exactLatency: latencyStats(exactMs),
          latency,
          byKind,
          avgHits,
          fallbacks,
          writeProbe,
          phasesMs,
          cpu: { otherCores: cpu.otherCores, postgresCores: cpu.cores.postgres ?? 0, benchCores: cpu.cores.bench ?? 0, busyBefore },
        };
      } finally {
        await ds.destroy();
      }
    },
    { prefix: 'sift_bench_search', applicationName: 'sift-bench-search-setup' },
  );
}

/**
 * Setup and exact scans scale with n, the HNSW build with n·log n (each insertion costs ~log n);
 * the search runs are scaled linearly too (keyword work grows with the matching rows, which is
 * the pessimistic end: kNN grows ~log n); waiting for a quiet machine is left out.
 */
function extrapolate(r: SizeResult, to: number) {
  const lin = to / r.size;
  const nlogn = (to * Math.log(to)) / (r.size * Math.log(r.size));
  const s = r.setup;
  const setup = {
    generateMs: s.generateMs * lin,
    copyEventsMs: s.copyEventsMs * lin,
    embedMs: s.embedMs * lin,
    copyVectorsMs: s.copyVectorsMs * lin,
    vacuumMs: s.vacuumMs * lin,
    buildMs: s.buildMs * nlogn,
    indexBytes: s.indexBytes * lin,
  };
  const p = r.phasesMs;
  const exactScanMs = p.exact * lin;
  const totalMs =
    setup.generateMs + setup.copyEventsMs + setup.embedMs + setup.copyVectorsMs + setup.vacuumMs + setup.buildMs +
    exactScanMs + p.recallOther * (Math.log(to) / Math.log(r.size)) + p.search * lin + p.writeProbe * (Math.log(to) / Math.log(r.size));
  return { size: to, basedOn: r.size, setup, exactScanMs, totalMs };
}

async function main() {
  const { service, model } = await startEmbeddings(cfg);
  const recallQs = makeQueries(RECALL_QUERIES, 9_001);
  const queries = makeQueries(QUERIES, 7_001);
  const warm = makeQueries(WARMUP, 8_001);
  const results: SizeResult[] = [];
  const skipped: { size: number; why: string; estimate: ReturnType<typeof extrapolate> }[] = [];
  try {
    for (const size of SIZES) {
      const prev = results.at(-1);
      if (prev && !FORCE) {
        const est = extrapolate(prev, size);
        if (est.totalMs > BUDGET_MIN * 60_000) {
          skipped.push({ size, why: `estimated ${fmt(est.totalMs / 60_000, 0)} min > --budget-min ${BUDGET_MIN} (use --force)`, estimate: est });
          log(`skipping ${fmt(size)}: ${skipped.at(-1)!.why}`);
          continue;
        }
      }
      results.push(await runSize(size, service, model, recallQs, queries, warm));
    }
  } finally {
    await service.onApplicationShutdown();
  }
  const biggest = results.at(-1)!;
  const extrapolated = biggest.size < EXTRAPOLATE_TO && !skipped.some((s) => s.size === EXTRAPOLATE_TO) ? extrapolate(biggest, EXTRAPOLATE_TO) : undefined;
  const estimates = [...skipped.map((s) => s.estimate), ...(extrapolated ? [extrapolated] : [])];

  // ---- report
  const sec = (ms: number) => Number((ms / 1000).toFixed(1));
  const setupRows: Cell[][] = results.map((r) => [
    fmt(r.size),
    sec(r.setup.generateMs),
    sec(r.setup.copyEventsMs),
    sec(r.setup.embedMs),
    Math.round(r.size / (r.setup.embedMs / 1000)),
    sec(r.setup.copyVectorsMs),
    sec(r.setup.vacuumMs),
    sec(r.setup.buildMs),
    fmtMiB(r.setup.indexBytes),
    fmtMiB(r.setup.embeddingsHeapBytes),
    fmtMiB(r.setup.eventsTotalBytes),
    sec(r.wallMs),
  ]);
  for (const e of estimates) {
    setupRows.push([
      `${fmt(e.size)} (EXTRAPOLATED from ${fmt(e.basedOn)})`,
      sec(e.setup.generateMs),
      sec(e.setup.copyEventsMs),
      sec(e.setup.embedMs),
      null,
      sec(e.setup.copyVectorsMs),
      sec(e.setup.vacuumMs),
      sec(e.setup.buildMs),
      `~${fmtMiB(e.setup.indexBytes)}`,
      null,
      null,
      sec(e.totalMs),
    ]);
  }
  const recallRows: Cell[][] = results.flatMap((r) =>
    r.recall.map((x) => [
      fmt(r.size),
      buildLabel(x),
      x.ef === (cfg.SEARCH_EF_SEARCH ?? 100) ? `${x.ef} (default)` : String(x.ef),
      Number(x.recallTies.toFixed(4)),
      Number(x.recallStrict.toFixed(4)),
      Number(x.recallNear.toFixed(4)),
      ...(['word', 'phrase', 'tag', 'post'] as QueryKind[]).map((k) => (x.byKind[k] === undefined ? null : Number(x.byKind[k]!.toFixed(3)))),
      Number(x.latency.p50.toFixed(2)),
      Number(x.latency.p99.toFixed(2)),
      Number(r.exactLatency.p50.toFixed(1)),
    ]),
  );
  const latRows: Cell[][] = results.flatMap((r) =>
    Object.entries(r.latency).map(([path, s]) => [
      fmt(r.size),
      path === 'hybrid' || path === 'semantic' || path === 'keyword' ? `SearchService ${path} (limit ${LIMIT})` : path,
      String(s.n),
      Number(s.p50.toFixed(2)),
      Number(s.p90.toFixed(2)),
      Number(s.p99.toFixed(2)),
      Number(s.max.toFixed(1)),
      r.avgHits[path] !== undefined ? Number(r.avgHits[path]!.toFixed(1)) : null,
    ]),
  );
  const kindRows: Cell[][] = results.flatMap((r) =>
    (['word', 'phrase', 'tag', 'post'] as QueryKind[])
      .filter((k) => r.byKind.hybrid?.[k])
      .map((k) => [
        fmt(r.size),
        k,
        String(r.byKind.hybrid![k]!.n),
        Number(r.byKind.hybrid![k]!.p50.toFixed(2)),
        Number(r.byKind.hybrid![k]!.p99.toFixed(2)),
        Number(r.byKind.keyword![k]!.p50.toFixed(2)),
        Number(r.byKind.keyword![k]!.p99.toFixed(2)),
        Number(r.byKind.semantic![k]!.p50.toFixed(2)),
        Number(r.byKind.semantic![k]!.p99.toFixed(2)),
      ]),
  );
  const writeRows: Cell[][] = results.map((r) => [fmt(r.size), r.writeProbe.vectors, Math.round(r.writeProbe.ms), Number(r.writeProbe.perVectorMs.toFixed(2)), Math.round(r.writeProbe.perS)]);

  const checks: Check[] = results.flatMap((r) =>
    r.builds.map((b) => {
      const rows = r.recall.filter((x) => x.m === b.m && x.efConstruction === b.efConstruction);
      const d = rows.find((x) => x.ef === (cfg.SEARCH_EF_SEARCH ?? 100)) ?? rows[1]!;
      const which = BUILDS.length > 1 ? ` (${buildLabel(b)})` : '';
      return check(`HNSW recall@${K} at ef_search ${d.ef}, ${fmt(r.size)} events${which}`, d.recallTies, '>=', TARGET_RECALL, '', 3);
    }),
  );
  const notes: string[] = [
    `Recall: hits counted against an exact scan of the same statement (index scans off; plans checked: ${results.map((r) => `${fmt(r.size)} nearest uses HNSW=${r.plans.nearestUsesHnsw}`).join(', ')}). "ties" also accepts a hit whose distance equals the exact 10th (identical texts/vectors); "strict" is plain id overlap.`,
    `Recall query shapes: ${Object.entries(recallQs.reduce<Record<string, number>>((a, q) => ((a[q.kind] = (a[q.kind] ?? 0) + 1), a), {})).map(([k, n]) => `${k} ${n}`).join(', ')} (held-out texts; word/phrase/tag/post columns are per-shape recall, ties counted).`,
    `Latency: one query at a time through SearchService.search() (query embedding + budget + coverage + kNN ‖ keyword + fusion + event load), ${QUERIES} queries after ${WARMUP} warm-up, same query set for every mode. Query shapes: ${Object.entries(queries.reduce<Record<string, number>>((a, q) => ((a[q.kind] = (a[q.kind] ?? 0) + 1), a), {})).map(([k, n]) => `${k} ${n}`).join(', ')}.`,
    `HNSW build: registerModel() after the bulk load (the product builds the index at worker boot and grows it per write instead); maintenance_work_mem=${MWM} for the build${MWM === 'server' ? '' : ' (with the server default, 64MB here, the graph outgrows memory and pgvector finishes on disk, much slower: compare with --maintenance-work-mem server)'}.`,
    ...results.map(
      (r) =>
        `${fmt(r.size)}: ${fmt(r.setup.distinctTexts)} distinct texts; CPU during the measured phase — bench ${r.cpu.benchCores.toFixed(2)} cores, its Postgres backends ${r.cpu.postgresCores.toFixed(2)}, other processes ${r.cpu.otherCores.toFixed(2)} (busy before start ${r.cpu.busyBefore.toFixed(2)}); fallbacks seen: ${JSON.stringify(r.fallbacks)}.`,
    ),
    ...skipped.map((s) => `${fmt(s.size)} NOT RUN: ${s.why}; the row marked EXTRAPOLATED is an estimate, not a measurement.`),
    ...(extrapolated
      ? [`${fmt(EXTRAPOLATE_TO)} not run (use --full): the EXTRAPOLATED row scales ${fmt(biggest.size)}'s setup linearly (HNSW build by n·log n) — an estimate, not a measurement. kNN latency should grow ~log n; keyword latency grows with the number of matching rows (~linearly for common words).`]
      : []),
  ];

  const json = emitReport({
    bench: 'search',
    title: `Search: HNSW recall@${K} and SearchService latency (${results.map((r) => fmt(r.size)).join(' / ')} events)`,
    params: {
      sizes: results.map((r) => r.size),
      queries: QUERIES,
      recallQueries: RECALL_QUERIES,
      warmup: WARMUP,
      limit: LIMIT,
      model: model.id,
      hnsw: { builds: BUILDS, efSearch: cfg.SEARCH_EF_SEARCH, candidates: cfg.SEARCH_CANDIDATES, keywordMaxMatches: cfg.SEARCH_KEYWORD_MAX_MATCHES },
      maintenanceWorkMem: MWM,
    },
    tables: [
      {
        title: 'Setup (seconds; not the measured paths)',
        headers: ['events', 'generate', 'COPY events', 'embed', 'embed/s', 'COPY vectors', 'VACUUM ANALYZE', 'HNSW build', 'HNSW index', 'embeddings heap', 'events+indexes', 'whole size run'],
        rows: setupRows,
      },
      {
        title: `HNSW builds (registerModel, maintenance_work_mem ${MWM}; the last per size gets the latency runs)`,
        headers: ['events', 'm', 'ef_construction', 'build s', 'index'],
        rows: results.flatMap((r) => r.builds.map((b) => [fmt(r.size), String(b.m), String(b.efConstruction), sec(b.buildMs), fmtMiB(b.indexBytes)])),
      },
      { title: `Recall@${K} vs exact scan (${RECALL_QUERIES} queries), kNN latency in ms`, headers: ['events', 'HNSW build', 'ef_search', `recall@${K} (ties)`, `recall@${K} (strict)`, 'within 1 % of 10th distance', 'word', 'phrase', 'tag', 'post', 'kNN p50', 'kNN p99', 'exact scan p50'], rows: recallRows },
      { title: 'Search latency (ms, sequential, after warm-up)', headers: ['events', 'path', 'n', 'p50', 'p90', 'p99', 'max', 'avg hits'], rows: latRows },
      { title: 'By query shape (ms)', headers: ['events', 'shape', 'n', 'hybrid p50', 'hybrid p99', 'keyword p50', 'keyword p99', 'semantic p50', 'semantic p99'], rows: kindRows },
      { title: 'Incremental writes into the built index (EmbeddingsRepository.write, EMBED_BATCH_SIZE rows per call)', headers: ['events indexed', 'vectors', 'ms', 'ms/vector', 'vectors/s'], rows: writeRows },
    ],
    checks,
    figures: { results, skipped, extrapolated },
    notes,
  });
  return json;
}

runBench('search', async () => {
  const result = await main();
  if (STRICT && !result.pass) process.exitCode = 1;
});
