/**
 * bench:index — where the time goes between "stored" and "searchable" (#17), in one run:
 *
 *   npm run build && npm run bench:index -- [--base 20000] [--probe 2000] [--queries 50]
 *
 * In a temp database (real migrations, real `embeddings` table with the product's partial HNSW
 * index, bundled glove model embedding generated posts):
 * - physical limit: binary COPY of the same vectors into an unindexed vector(100) table;
 * - per HNSW setting (m / ef_construction): bulk CREATE INDEX cost per vector over `base` rows,
 *   then COPY of `probe` more vectors into the built index (incremental insert cost), recall@10
 *   against exact search and query latency at several ef_search;
 * - product path: EmbeddingsRepository.write() (the embed job's write) into the real table and its
 *   partial index, against COPY of the same number of vectors into that same table, same run;
 * - a "growing segment" exact scan: brute-force kNN over an unindexed table of `base+probe` rows.
 * Figures are ratios against the unindexed COPY. Stops by itself; 127.0.0.1 only.
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { withTempDatabase } from './lib/temp-db.js';
import { benchConfig, copyEvents, copyVectors, postEvents, startEmbeddings, withClient } from './lib/search-fixture.js';
import { markdownTable, fmt } from './lib/report.js';
import { Db } from '../libs/database/index.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const BASE = arg('base', 20_000);
const PROBE = arg('probe', 2_000);
const QUERIES = arg('queries', 50);
const WRITE_BATCH = 256; // EMBED_BATCH_SIZE default
const SETTINGS = [
  { m: 32, efc: 200 },
  { m: 16, efc: 64 },
  { m: 8, efc: 32 },
];
const EF_SEARCH = [40, 100, 200];

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const vec = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

/** A client whose unqualified `embeddings` is `schema.embeddings` (so copyVectors writes there). */
async function inSchema<T>(url: string, schema: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(url, async (c) => {
    await c.query(`SET search_path = ${schema}, public`);
    await c.query(`SET maintenance_work_mem = '1GB'`);
    return fn(c);
  });
}

async function main() {
  const cfg = benchConfig();
  const { service, model } = await startEmbeddings(cfg);
  const events = postEvents(BASE + PROBE, 17_000);
  const [vectors, embedMs] = await timed(() => service.embed(events.map((e) => e.text), model.id));
  log(`embedded ${events.length} texts in ${fmt(embedMs, 0)} ms`);

  await withTempDatabase(
    async ({ url, ds }) => {
      await withClient(url, (c) => copyEvents(c, events));
      const ids: string[] = (await ds.query(`SELECT e.id::text AS id FROM events e ORDER BY e.id`)).map((r: { id: string }) => r.id);
      const rows = ids.map((id, i) => ({ eventId: id, vector: vectors[i]! }));
      const base = rows.slice(0, BASE);
      const probe = rows.slice(BASE);
      const queries = Array.from({ length: QUERIES }, (_, i) => vectors[(i * 7919) % vectors.length]!);

      const createRaw = (schema: string) =>
        ds.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.embeddings (event_id bigint NOT NULL, model_id text NOT NULL, embedding vector(${model.dims}) NOT NULL)`);

      // ---- physical limit: unindexed COPY, and the growing segment's exact scan over it
      await createRaw('raw_flat');
      const [, flatMs] = await inSchema(url, 'raw_flat', (c) => timed(() => copyVectors(c, model.id, rows)));
      const flatPerS = rows.length / (flatMs / 1000);
      log(`unindexed COPY: ${fmt(flatPerS, 0)} vectors/s`);
      const exact: string[][] = [];
      const exactMs: number[] = [];
      await inSchema(url, 'raw_flat', async (c) => {
        for (const q of queries) {
          const [r, ms] = await timed(() => c.query(`SELECT event_id::text AS id FROM embeddings ORDER BY embedding <=> $1::vector LIMIT 10`, [vec(q)]));
          exact.push(r.rows.map((x: { id: string }) => x.id));
          exactMs.push(ms);
        }
      });

      // ---- growing-segment sizes: brute-force kNN over the newest n vectors, serial scan (no gather start-up)
      const segRows: string[][] = [];
      for (const n of [2_000, 5_000, 10_000, rows.length].filter((n) => n <= rows.length)) {
        await ds.query(`CREATE TABLE raw_flat.seg_${n} AS SELECT embedding FROM raw_flat.embeddings ORDER BY event_id DESC LIMIT ${n}`);
        const ms = await withClient(url, async (c) => {
          await c.query(`SET max_parallel_workers_per_gather = 0`);
          const out: number[] = [];
          for (const q of queries) out.push((await timed(() => c.query(`SELECT 1 FROM raw_flat.seg_${n} ORDER BY embedding <=> $1::vector LIMIT 10`, [vec(q)])))[1]);
          return out.sort((a, b) => a - b);
        });
        segRows.push([fmt(n, 0), fmt(ms[Math.floor(ms.length / 2)]!, 2), fmt(ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]!, 2)]);
        log(`exact scan over ${n}: p50 ${fmt(ms[Math.floor(ms.length / 2)]!, 2)} ms`);
      }

      // ---- per HNSW setting: bulk build, incremental COPY, recall / latency
      const sweep: (string | number)[][] = [];
      for (const s of SETTINGS) {
        const schema = `raw_m${s.m}_efc${s.efc}`;
        await createRaw(schema);
        const r = await inSchema(url, schema, async (c) => {
          await copyVectors(c, model.id, base);
          const [, buildMs] = await timed(() =>
            c.query(`CREATE INDEX ON embeddings USING hnsw (embedding vector_cosine_ops) WITH (m = ${s.m}, ef_construction = ${s.efc})`),
          );
          const [, incMs] = await timed(() => copyVectors(c, model.id, probe));
          const perEf: { ef: number; recall: number; p50: number; p99: number }[] = [];
          for (const ef of EF_SEARCH) {
            await c.query(`SET hnsw.ef_search = ${ef}`);
            let hit = 0;
            const ms: number[] = [];
            for (let i = 0; i < queries.length; i++) {
              const [res, t] = await timed(() => c.query(`SELECT event_id::text AS id FROM embeddings ORDER BY embedding <=> $1::vector LIMIT 10`, [vec(queries[i]!)]));
              ms.push(t);
              const want = new Set(exact[i]);
              hit += res.rows.filter((x: { id: string }) => want.has(x.id)).length;
            }
            ms.sort((a, b) => a - b);
            perEf.push({ ef, recall: hit / (10 * queries.length), p50: ms[Math.floor(ms.length / 2)]!, p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]! });
          }
          return { buildMs, incMs, perEf };
        });
        const bulkPerS = BASE / (r.buildMs / 1000);
        const incPerS = PROBE / (r.incMs / 1000);
        log(`m ${s.m} ef_c ${s.efc}: bulk build ${fmt(bulkPerS, 0)} v/s, incremental COPY ${fmt(incPerS, 0)} v/s`);
        for (const e of r.perEf) {
          sweep.push([String(s.m), String(s.efc), fmt(bulkPerS, 0), fmt(incPerS, 0), fmt(incPerS / flatPerS, 3), String(e.ef), fmt(e.recall, 3), fmt(e.p50, 2), fmt(e.p99, 2)]);
        }
        await ds.query(`DROP SCHEMA ${schema} CASCADE`);
      }

      // ---- product path vs COPY into the same indexed table (the real partial index, m 32 / ef_c 200)
      const store = new EmbeddingsRepository(Db.of(ds));
      await withClient(url, (c) => copyVectors(c, model.id, base));
      await ds.query(`SET maintenance_work_mem = '1GB'`);
      const [, regMs] = await timed(() => store.registerModel(model, { m: cfg.SEARCH_HNSW_M, efConstruction: cfg.SEARCH_HNSW_EF_CONSTRUCTION }));
      const half = Math.floor(probe.length / 2);
      const [, copyMs] = await withClient(url, (c) => timed(() => copyVectors(c, model.id, probe.slice(0, half))));
      let writeMs = 0;
      const tail = probe.slice(half);
      for (let i = 0; i < tail.length; i += WRITE_BATCH) writeMs += (await timed(() => store.write(model.id, tail.slice(i, i + WRITE_BATCH))))[1];
      const copyPerS = half / (copyMs / 1000);
      const writePerS = tail.length / (writeMs / 1000);

      const exactSorted = [...exactMs].sort((a, b) => a - b);
      const out = [
        `## bench:index — stored → searchable cost per vector (#17), ${new Date().toISOString().slice(0, 10)}`,
        '',
        `\`npm run bench:index -- --base ${BASE} --probe ${PROBE} --queries ${QUERIES}\` (glove-100d, ${model.dims} dims; embedding ${events.length} texts took ${fmt(embedMs, 0)} ms = ${fmt(events.length / (embedMs / 1000), 0)} texts/s).`,
        '',
        `Physical limit: unindexed binary COPY ${fmt(flatPerS, 0)} vectors/s. Exact (brute-force) kNN over the unindexed ${fmt(rows.length, 0)} rows: p50 ${fmt(exactSorted[Math.floor(exactSorted.length / 2)]!, 2)} ms, p99 ${fmt(exactSorted[exactSorted.length - 1]!, 2)} ms.`,
        '',
        markdownTable(['growing segment rows (exact scan, 1 worker)', 'p50 ms', 'p99 ms'], segRows),
        '',
        markdownTable(
          ['m', 'ef_c', 'bulk build v/s', 'incremental COPY v/s', 'incr ÷ unindexed', 'ef_search', 'recall@10', 'p50 ms', 'p99 ms'],
          sweep,
        ),
        '',
        markdownTable(
          ['into the real embeddings table (partial HNSW m ' + cfg.SEARCH_HNSW_M + ' / ef_c ' + cfg.SEARCH_HNSW_EF_CONSTRUCTION + ')', 'vectors/s', 'ratio'],
          [
            [`registerModel bulk build over ${fmt(BASE, 0)} rows`, fmt(BASE / (regMs / 1000), 0), fmt(BASE / (regMs / 1000) / flatPerS, 3)],
            [`COPY ${fmt(half, 0)} vectors`, fmt(copyPerS, 0), fmt(copyPerS / flatPerS, 3)],
            [`EmbeddingsRepository.write ${fmt(tail.length, 0)} vectors, batches of ${WRITE_BATCH}`, fmt(writePerS, 0), `${fmt(writePerS / copyPerS, 3)} of indexed COPY`],
          ],
        ),
        '',
      ].join('\n');
      process.stdout.write(out + '\n');
    },
    { prefix: 'sift_bench_index', applicationName: 'sift-bench-index' },
  );
  await service.onApplicationShutdown();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
