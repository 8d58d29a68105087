/**
 * `npm run bench:models [-- --events 10000 --drift 100000,1000000]`: model lifecycle costs, each
 * against a baseline measured in the same run on the same database.
 *
 * 1. Re-embed throughput: a promotion's background walk (ReembedProcessor.reembed, leased claim,
 *    cursor per batch) vs the plain embed path (EmbedProcessor.backfill) over the same events,
 *    each into its own empty partial HNSW index. Target ≥ 0.8×.
 * 2. Live ingest while a re-embed runs: batches stored (EventsRepository.writeBatch) and embedded
 *    (EmbedProcessor.embedIds) for a fixed time, idle vs with a re-embed walking in parallel.
 *    Target ≥ 0.9× of idle.
 * 3. Drift cost per window: summarise + compare over N vectors (in memory), and fetching a
 *    window from Postgres (recentVectors).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Db } from '../libs/database/index.js';
import { mulberry32 } from '../libs/common/random.js';
import { EmbedProcessor } from '../src/embeddings/embed.processor.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { compare, summarise } from '../src/models/drift.js';
import { DriftMonitor } from '../src/models/drift.monitor.js';
import { ModelsRepository } from '../src/models/models.repository.js';
import { ModelsService } from '../src/models/models.service.js';
import { ReembedProcessor } from '../src/models/reembed.processor.js';
import { buildModelVariant } from '../scripts/build-model-variant.js';
import { runBench } from './lib/bench-env.js';
import { check, emitReport, fmt, parseFlags, positiveIntFlag } from './lib/report.js';
import { benchConfig, copyEvents, log, postEventChunks, startEmbeddings, withClient } from './lib/search-fixture.js';
import { withTempDatabase } from './lib/temp-db.js';

const flags = parseFlags();
const EVENTS = positiveIntFlag(flags, 'events', flags.has('quick') ? 2000 : 10_000);
const LIVE_SECONDS = positiveIntFlag(flags, 'live-seconds', flags.has('quick') ? 4 : 10);
const DRIFT_SIZES = String(flags.get('drift') ?? (flags.has('quick') ? '10000' : '100000,1000000')).split(',').map(Number);

runBench('models', async () => {
  const modelDir = mkdtempSync(join(tmpdir(), 'sift-bench-models-'));
  symlinkSync(resolve('models/glove-100d'), join(modelDir, 'glove-100d'));
  buildModelVariant({ from: 'models/glove-100d', out: join(modelDir, 'cand-a'), id: 'cand-a@1' });
  buildModelVariant({ from: 'models/glove-100d', out: join(modelDir, 'cand-b'), id: 'cand-b@1' });
  try {
    await withTempDatabase(async ({ ds, url }) => {
      const cfg = benchConfig({ EMBEDDINGS_MODEL_DIR: modelDir, MODEL_SWITCH_COVERAGE: '1', MODEL_REEMBED_PAUSE_MS: '0' });
      const db = Db.of(ds);
      const events = new EventsRepository(db);
      const store = new EmbeddingsRepository(db);
      const repo = new ModelsRepository(db);
      const { service, model } = await startEmbeddings(cfg);
      const models = new ModelsService(cfg, repo, service, store, events);
      const schema = { ready: Promise.resolve() } as never;
      // The embed-events queue as the re-embed sees it: one job "queued" while a live batch is
      // being stored and embedded (in the product that is the queue depth in Redis).
      let liveInFlight = 0;
      const jobs = { depth: async () => liveInFlight } as never;
      const embed = new EmbedProcessor(cfg, jobs, service, store, events, schema);
      const reembed = new ReembedProcessor(cfg, jobs, models, repo, service, store, events, schema, new DriftMonitor(cfg, repo, store));
      await store.registerModel(model, { m: cfg.SEARCH_HNSW_M!, efConstruction: cfg.SEARCH_HNSW_EF_CONSTRUCTION! });
      await models.register('glove-100d', 'bench');
      await repo.activateIfNone('glove-100d', 'bench');

      log(`seeding ${EVENTS} events`);
      await withClient(url, async (c) => {
        for (const chunk of postEventChunks(EVENTS, 1)) await copyEvents(c, chunk);
      });

      // 1. plain embed path vs background re-embed, same events, each into an empty index.
      let t = performance.now();
      const plainN = await embed.backfill(model.id);
      const plainS = (performance.now() - t) / 1000;
      log(`plain embed path: ${plainN} in ${fmt(plainS, 1)} s`);
      await models.register('cand-a', 'bench');
      await repo.setScores('cand-a', { semantic: { p10: 1 } });
      await models.promote('cand-a', 'bench', { force: true });
      t = performance.now();
      const reN = await reembed.reembed('cand-a');
      const reS = (performance.now() - t) / 1000;
      log(`background re-embed: ${reN} in ${fmt(reS, 1)} s`);
      const plainRate = plainN / plainS;
      const reRate = reN / reS;

      // 2. live ingest idle vs during a re-embed (cand-b walks the same stored events meanwhile).
      // cand-a is active now (switched at coverage 1): live embedding goes to the chain model,
      // as in production; the re-embed competes for the same CPU and database.
      let seed = 1000;
      const live = async (seconds: number) => {
        let n = 0;
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) {
          const batch = [...postEventChunks(200, seed++, 'live')][0]!;
          liveInFlight = 1;
          await events.writeBatch('live', batch, `c-${seed}`);
          const ids = (await db.query<{ id: string }>(`SELECT id::text FROM events WHERE source = 'live' ORDER BY id DESC LIMIT 200`)).map((r) => r.id);
          await embed.embedIds(ids);
          liveInFlight = 0;
          // Batches arrive from the relay with gaps (linger, network); back-to-back they would leave
          // the re-embed no room at all.
          await new Promise((r) => setTimeout(r, 20));
          n += batch.length;
        }
        return n / seconds;
      };
      const idleRate = await live(LIVE_SECONDS);
      log(`live ingest idle: ${fmt(idleRate, 0)} events/s`);
      await models.register('cand-b', 'bench');
      await models.promote('cand-b', 'bench', { force: true });
      const walk = reembed.reembed('cand-b');
      const busyRate = await live(LIVE_SECONDS);
      const walked = await walk;
      log(`live ingest during re-embed: ${fmt(busyRate, 0)} events/s (re-embed wrote ${walked})`);

      // 3. drift cost per window.
      const fetchT = performance.now();
      const fetched = await store.recentVectors(model.id, Math.min(EVENTS, 10_000));
      const fetchMs = performance.now() - fetchT;
      const rand = mulberry32(5);
      const driftRows: (string | number)[][] = [];
      const driftFigures: Record<string, number> = {};
      for (const n of DRIFT_SIZES) {
        const vs = Array.from({ length: n }, () => Float32Array.from({ length: 100 }, () => rand() - 0.5));
        const ref = summarise(vs.slice(0, Math.min(n, 2000)));
        const s = performance.now();
        compare(ref, summarise(vs), cfg.DRIFT_K);
        const ms = performance.now() - s;
        driftFigures[`drift_ms_${n}`] = ms;
        driftRows.push([n, fmt(ms, 0), fmt((ms * 1000) / n, 2)]);
        log(`drift window of ${n}: ${fmt(ms, 0)} ms`);
      }
      emitReport({
        bench: 'models',
        title: 'Model lifecycle: background re-embed, live ingest during it, drift windows',
        params: { events: EVENTS, liveSeconds: LIVE_SECONDS, driftSizes: DRIFT_SIZES, batch: cfg.MODEL_REEMBED_BATCH, embedBatch: cfg.EMBED_BATCH_SIZE },
        tables: [
          { title: 'Embedding throughput (same run, same events, empty index each)', headers: ['path', 'events', 'seconds', 'events/s'], rows: [['plain embed (EmbedProcessor.backfill)', plainN, fmt(plainS, 1), fmt(plainRate, 0)], ['background re-embed (promotion)', reN, fmt(reS, 1), fmt(reRate, 0)]] },
          { title: 'Live ingest (store + embed 200-event batches)', headers: ['while', 'events/s'], rows: [['idle', fmt(idleRate, 0)], ['a re-embed runs', fmt(busyRate, 0)]] },
          { title: `Drift window cost (summarise + compare, 100 dims, ${'128'} random features); fetching ${fetched.length} vectors from Postgres took ${fmt(fetchMs, 0)} ms`, headers: ['vectors', 'ms', 'µs/vector'], rows: driftRows },
        ],
        checks: [check('re-embed vs plain embed', reRate / plainRate, '>=', 0.8, '×', 2), check('live ingest during re-embed vs idle', busyRate / idleRate, '>=', 0.9, '×', 2)],
        figures: { plainRate, reRate, idleRate, busyRate, fetchMs, fetched: fetched.length, ...driftFigures },
      });
      await service.onApplicationShutdown();
      await models.onApplicationShutdown();
    }, { prefix: 'sift_bench_models' });
  } finally {
    rmSync(modelDir, { recursive: true, force: true });
  }
});
