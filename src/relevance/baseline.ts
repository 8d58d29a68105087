import type { RelevanceReport, RetrievalMetrics } from './evaluate.js';

const METRICS = ['p10', 'ndcg10', 'mrr', 'recall10'] as const;

/** Regressions against the baseline: one message per metric more than `tolerance` below it. */
export function regressions(r: RelevanceReport, baseline: Pick<RelevanceReport, 'modes' | 'references'>, tolerance: number): string[] {
  const out: string[] = [];
  const compare = (name: string, got: RetrievalMetrics | undefined, want: RetrievalMetrics | undefined) => {
    if (!want) return;
    if (!got) return out.push(`${name}: not measured (baseline has it)`);
    for (const m of METRICS) if (got[m] < want[m] - tolerance) out.push(`${name} ${m} ${got[m].toFixed(4)} < baseline ${want[m].toFixed(4)} − ${tolerance}`);
    if (want.annRecall10 !== undefined && (got.annRecall10 ?? 0) < want.annRecall10 - tolerance) out.push(`${name} annRecall10 ${(got.annRecall10 ?? 0).toFixed(4)} < baseline ${want.annRecall10.toFixed(4)} − ${tolerance}`);
  };
  for (const [mode, want] of Object.entries(baseline.modes)) compare(mode, r.modes[mode as keyof RelevanceReport['modes']], want);
  compare('reference bm25', r.references.bm25, baseline.references.bm25);
  compare('reference exactCosine', r.references.exactCosine, baseline.references.exactCosine);
  return out;
}

