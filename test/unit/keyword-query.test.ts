import { describe, expect, it } from 'vitest';
import { bm25Idf, planKeyword, weightedRrf } from '../../src/search/bm25.js';
import { KeywordQueryError, MAX_QUERY_CHARS, keywordQueryProblem, parseKeywordQuery } from '../../src/search/keyword-query.js';
import { scoreRanking } from '../../src/relevance/metrics.js';
import { Bm25Index, tokenize } from '../../src/relevance/references.js';

describe('keyword query parsing', () => {
  it('keeps a long sentence as free terms, with no hard filter', () => {
    const q = parseKeywordQuery('why is everyone on my feed talking about the central bank raising interest rates again?');
    expect(q.filter).toBe('');
    expect(q.hasPhrase).toBe(false);
    expect(q.terms).toContain('central bank raising interest rates');
  });

  it('turns quoted phrases into required phrases and keeps their words for scoring', () => {
    const q = parseKeywordQuery('"interest rates" bank');
    expect(q.filter).toBe('"interest rates"');
    expect(q.hasPhrase).toBe(true);
    expect(q.terms).toBe('interest rates bank');
  });

  it('an unclosed quote runs to the end', () => {
    expect(parseKeywordQuery('bank "interest rates').filter).toBe('"interest rates"');
  });

  it('turns -word and -"phrase" into exclusions, not terms', () => {
    const q = parseKeywordQuery('oranges -lemons -"key lime"');
    expect(q.filter).toBe('-"lemons" -"key lime"');
    expect(q.terms).toBe('oranges');
  });

  it('a lone dash or a hyphenated word is not an exclusion', () => {
    expect(parseKeywordQuery('state-of-the-art - thing').filter).toBe('');
    expect(parseKeywordQuery('state-of-the-art - thing').terms).toBe('state-of-the-art - thing');
  });

  it('OR between phrases makes them alternatives; between words it is dropped (words already match any-of)', () => {
    expect(parseKeywordQuery('"exchange rates" OR "bank holiday"').filter).toBe('"exchange rates" OR "bank holiday"');
    const w = parseKeywordQuery('cats OR dogs');
    expect(w.terms).toBe('cats dogs');
    expect(w.filter).toBe('');
  });

  it('punctuation stays in the terms (Postgres\' parser splits it) and cannot break out of a phrase', () => {
    const q = parseKeywordQuery(`it's "a ""b"" c" -'x' (y) & z | !w :*`);
    expect(q.filter).not.toMatch(/""/);
    expect(q.terms).toContain('(y) & z | !w :*');
  });

  it('keeps unicode and normalises it to NFC; smart quotes count as quotes', () => {
    const q = parseKeywordQuery('Zu\u0308rich “crème brûlée” 東京');
    expect(q.terms).toContain('Zürich');
    expect(q.filter).toBe('"crème brûlée"');
    expect(q.terms).toContain('東京');
  });

  it('rejects NUL, empty and over-long queries with a clear message; control characters become spaces', () => {
    expect(keywordQueryProblem('a\u0000b')).toBe('q must not contain NUL characters');
    expect(keywordQueryProblem('   ')).toBe('q must not be empty');
    expect(keywordQueryProblem('x'.repeat(10_240))).toBe(`q must be at most ${MAX_QUERY_CHARS} characters`);
    expect(keywordQueryProblem('x'.repeat(MAX_QUERY_CHARS))).toBeUndefined();
    expect(() => parseKeywordQuery('a\u0000b')).toThrow(KeywordQueryError);
    expect(parseKeywordQuery('tab\there\nnew').terms).toBe('tab here new');
  });
});

describe('BM25 plan and fusion', () => {
  const stats = { documents: 1000, avgTokens: 10, commonTerms: new Map<string, number>() };
  const o = { maxTerms: 3, maxMatches: 100, k1: 1.2, b: 0.75 };

  it('keeps the rarest terms of a long query, weighted by idf', () => {
    const p = planKeyword([{ lexeme: 'the', df: 900 }, { lexeme: 'zebra', df: 2 }, { lexeme: 'bank', df: 50 }, { lexeme: 'rate', df: 80 }, { lexeme: 'gone', df: 0 }], stats, '', o);
    expect(p.terms.map((t) => t.lexeme)).toEqual(['zebra', 'bank', 'rate']);
    expect(p.terms[0]!.idf).toBeGreaterThan(p.terms[1]!.idf);
    expect(p.terms[0]!.idf).toBeCloseTo(bm25Idf(2, 1000));
  });

  it('ranks every match of rare terms within the budget and walks shortest-first past it', () => {
    const rare = planKeyword([{ lexeme: 'zebra', df: 2 }, { lexeme: 'bank', df: 50 }], stats, '', o);
    expect(rare.rankAll).toEqual(['zebra', 'bank']);
    expect(rare.walkShortest).toBe(0);
    const common = planKeyword([{ lexeme: 'zebra', df: 2 }, { lexeme: 'bank', df: 500 }], stats, '', o);
    expect(common.rankAll).toEqual(['zebra']);
    expect(common.walkShortest).toBe(100);
  });

  it('weighted RRF: a weight scales a leg, agreement wins, ties go to the newer id', () => {
    const eq = weightedRrf([{ ids: ['1', '2'], weight: 1 }, { ids: ['2', '3'], weight: 1 }], 60);
    expect(eq[0]!.id).toBe('2');
    const kwHeavy = weightedRrf([{ ids: ['1'], weight: 0.25 }, { ids: ['9'], weight: 1 }], 60);
    expect(kwHeavy.map((x) => x.id)).toEqual(['9', '1']);
    expect(weightedRrf([{ ids: ['9', '10'], weight: 1 }, { ids: ['10', '9'], weight: 1 }], 60)[0]!.id).toBe('10');
  });
});

describe('relevance metrics and the in-memory BM25 reference', () => {
  it('scores a ranking against graded judgements', () => {
    const m = scoreRanking(['a', 'x', 'b'], { a: 2, b: 1, c: 2 });
    expect(m.p10).toBeCloseTo(0.1);
    expect(m.mrr).toBe(1);
    expect(m.recall10).toBeCloseTo(0.5);
    expect(m.ndcg10).toBeGreaterThan(0);
    expect(m.ndcg10).toBeLessThan(1);
    expect(scoreRanking(['a', 'c', 'b'], { a: 2, b: 1, c: 2 }).ndcg10).toBeCloseTo(1);
  });

  it('BM25 prefers the short post with the rare term', () => {
    expect(tokenize('The Banks are closing')).toEqual(['bank', 'closing']);
    const idx = new Bm25Index([
      { id: 'long', text: 'zebra seen today along with many other animals and birds in the big park downtown' },
      { id: 'short', text: 'zebra zebra' },
      { id: 'none', text: 'nothing here' },
    ]);
    expect(idx.search('a zebra', 10)).toEqual(['short', 'long']);
  });
});

describe('eval:search --check', () => {
  const m = (x: number) => ({ p10: x, ndcg10: x, mrr: x, recall10: x });
  const base = { modes: { keyword: m(0.5), hybrid: m(0.6) }, references: { bm25: m(0.5), exactCosine: m(0.3) } };
  it('passes within the tolerance and names each metric that fell further', async () => {
    const { regressions } = await import('../../src/relevance/baseline.js');
    const ok = { ...base, modes: { keyword: m(0.495), hybrid: m(0.6) } } as any;
    expect(regressions(ok, base, 0.01)).toEqual([]);
    const worse = { ...base, modes: { keyword: m(0.5), hybrid: { ...m(0.6), ndcg10: 0.55 } } } as any;
    expect(regressions(worse, base, 0.01)).toEqual(['hybrid ndcg10 0.5500 < baseline 0.6000 − 0.01']);
    expect(regressions({ ...base, modes: { keyword: m(0.5) } } as any, base, 0.01)).toEqual(['hybrid: not measured (baseline has it)']);
  });
});
