/**
 * `npm run eval:search` — relevance of every search mode on the shipped labelled set, beside an
 * in-memory BM25 and an exact cosine scan (see evaluate.ts).
 *
 *   node dist/src/relevance/eval-search.js [--check] [--write-baseline] [--json] [--model glove-100d@1]
 *
 * --check exits 1 when any metric of a mode or reference falls below eval/baseline.json by more
 * than the baseline's tolerance, naming it. The database server comes from EVAL_DATABASE_URL,
 * else DATABASE_URL, else the local test server (a scratch database is created and dropped).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { regressions } from './baseline.js';
import { evaluateRetrieval, type RelevanceReport, type RetrievalMetrics } from './evaluate.js';

const BASELINE = 'eval/baseline.json';
const DEFAULT_TOLERANCE = 0.01;
const METRICS = ['p10', 'ndcg10', 'mrr', 'recall10'] as const;

function table(r: RelevanceReport): string {
  const rows: [string, RetrievalMetrics | undefined][] = [
    ...Object.entries(r.modes).map(([m, x]) => [m, x] as [string, RetrievalMetrics]),
    ['ref: bm25 (in-memory)', r.references.bm25],
    ['ref: exact cosine', r.references.exactCosine],
  ];
  const head = `${'retriever'.padEnd(24)}${METRICS.map((m) => m.padStart(10)).join('')}`;
  const ann = r.modes.semantic?.annRecall10;
  return [head, ...rows.map(([n, x]) => `${n.padEnd(24)}${METRICS.map((m) => (x ? x[m].toFixed(4) : '-').padStart(10)).join('')}`), ...(ann === undefined ? [] : [`semantic vs exact search: recall@10 ${ann.toFixed(4)} (HNSW index against brute-force cosine over the same vectors)`])].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (n: string) => args.includes(`--${n}`);
  const value = (n: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : undefined);
  const databaseUrl = process.env.EVAL_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const report = await evaluateRetrieval({ databaseUrl, embeddingModel: value('model'), log: (l) => process.stderr.write(`${l}\n`) });
  if (flag('json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    process.stdout.write(`${report.set.name}: ${report.set.queries} test queries (${report.set.tuneQueries} tune), ${report.set.documents} documents, model ${report.model}, ${report.seconds} s\n`);
    process.stdout.write(table(report) + '\n');
    const w = report.hybridWeights;
    process.stdout.write(`hybrid fusion (weighted RRF): configured semantic ${w.configured.semantic} keyword ${w.configured.keyword} k ${w.configured.k} (tune nDCG@10 ${w.configuredTuneNdcg10.toFixed(4)}); best on tune split semantic ${w.tuned.semantic} keyword ${w.tuned.keyword} k ${w.tuned.k} (${w.tuned.tuneNdcg10.toFixed(4)})\n`);
  }
  if (flag('write-baseline')) {
    writeFileSync(BASELINE, JSON.stringify({ tolerance: DEFAULT_TOLERANCE, set: report.set, model: report.model, modes: report.modes, references: report.references, hybridWeights: report.hybridWeights }, null, 2) + '\n');
    process.stderr.write(`wrote ${BASELINE}\n`);
  }
  if (flag('check')) {
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
    const bad = regressions(report, baseline, baseline.tolerance ?? DEFAULT_TOLERANCE);
    if (bad.length) {
      process.stderr.write(`eval:search --check: below ${BASELINE}:\n${bad.map((b) => `  ${b}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stderr.write(`eval:search --check: every metric within ${baseline.tolerance ?? DEFAULT_TOLERANCE} of ${BASELINE}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`eval:search failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
