/**
 * Retrieval metrics over graded judgements (grade 2 = about the query's subject, 1 = partly
 * related, 0 = not). P@10 and recall@10 count grade-2 documents; nDCG@10 uses the grades as gains
 * (2^g − 1); MRR is the reciprocal rank of the first grade-2 document (0 when none in the top 10).
 */
export interface RetrievalMetrics {
  p10: number;
  ndcg10: number;
  mrr: number;
  recall10: number;
  /** Semantic mode only: share of the exact-search (brute-force cosine) top 10 that the product's vector index returned. */
  annRecall10?: number;
}

export const CUTOFF = 10;

export function scoreRanking(ranked: readonly string[], relevant: Record<string, number>): RetrievalMetrics {
  const top = ranked.slice(0, CUTOFF);
  const exact = Object.values(relevant).filter((g) => g >= 2).length;
  let hits = 0;
  let dcg = 0;
  let rr = 0;
  top.forEach((id, i) => {
    const g = relevant[id] ?? 0;
    if (g >= 2) {
      hits++;
      if (!rr) rr = 1 / (i + 1);
    }
    dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = Object.values(relevant).sort((a, b) => b - a).slice(0, CUTOFF);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return { p10: hits / CUTOFF, ndcg10: idcg ? dcg / idcg : 0, mrr: rr, recall10: exact ? hits / exact : 0 };
}

export function meanMetrics(xs: readonly RetrievalMetrics[]): RetrievalMetrics {
  const n = Math.max(1, xs.length);
  const sum = (k: 'p10' | 'ndcg10' | 'mrr' | 'recall10') => round(xs.reduce((s, x) => s + x[k], 0) / n);
  return { p10: sum('p10'), ndcg10: sum('ndcg10'), mrr: sum('mrr'), recall10: sum('recall10') };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
