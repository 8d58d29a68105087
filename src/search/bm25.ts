import type { KeywordCorpusStats, KeywordPlan, TermFrequency } from '../events/events.repository.js';

/** BM25 inverse document frequency (the Lucene form: never negative, so common terms still count a little). */
export const bm25Idf = (df: number, documents: number) => Math.log(1 + (documents - df + 0.5) / (df + 0.5));

export interface PlanOptions {
  maxTerms: number;
  /** Candidate budget (SEARCH_KEYWORD_MAX_MATCHES). */
  maxMatches: number;
  k1: number;
  b: number;
}

/**
 * Chooses what the keyword leg ranks: the `maxTerms` rarest distinct lexemes (a long query's
 * function words carry no signal), each weighted by idf; every match of the rarest terms while
 * their document frequencies add up to the candidate budget; and, when more common terms are
 * left over, a shortest-first walk of the budget over matches of any term.
 */
export function planKeyword(terms: TermFrequency[], stats: KeywordCorpusStats, filter: string, o: PlanOptions): KeywordPlan {
  const present = terms.filter((t) => t.df > 0);
  const documents = Math.max(stats.documents, ...present.map((t) => t.df));
  const chosen = [...present].sort((a, b) => a.df - b.df || (a.lexeme < b.lexeme ? -1 : 1)).slice(0, o.maxTerms);
  const rankAll: string[] = [];
  let budget = 0;
  for (const t of chosen) {
    if (budget + t.df > o.maxMatches) break;
    budget += t.df;
    rankAll.push(t.lexeme);
  }
  return {
    terms: chosen.map((t) => ({ lexeme: t.lexeme, idf: bm25Idf(t.df, documents) })),
    rankAll,
    walkShortest: rankAll.length < chosen.length ? o.maxMatches : 0,
    walkLengthIndex: walkIsCheaper(Math.min(documents, chosen.reduce((s, t) => s + t.df, 0)), o.maxMatches, documents),
    filter,
    k1: o.k1,
    b: o.b,
    avgTokens: stats.avgTokens,
  };
}

/**
 * Shortest-first candidates: walking idx_events_tsv_length reads about walk·N/matches rows, each
 * ~¼ the cost of a match fetched through the GIN index (bench:search at 1M: ~13 µs vs ~56 µs), so
 * the walk wins only when matches are dense; otherwise every match is fetched and sorted
 * (`+ 0` keeps the planner off the index).
 */
export function walkIsCheaper(matches: number, walk: number, documents: number): boolean {
  return matches * matches >= 0.25 * walk * Math.max(documents, matches);
}

export interface RankedId {
  id: string;
}

/**
 * Weighted reciprocal rank fusion: score(d) = Σ_leg weight_leg / (k + rank_leg(d)), ranks from 1.
 * Ties broken by newer id. Pure, so the eval harness tunes weights with the same function.
 */
export function weightedRrf(legs: { ids: string[]; weight: number }[], k: number): { id: string; score: number }[] {
  const score = new Map<string, number>();
  for (const leg of legs) leg.ids.forEach((id, i) => score.set(id, (score.get(id) ?? 0) + leg.weight / (k + i + 1)));
  return [...score.entries()].map(([id, s]) => ({ id, score: s })).sort((a, b) => b.score - a.score || cmpIdDesc(a.id, b.id));
}

const cmpIdDesc = (a: string, b: string) => (a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0);
