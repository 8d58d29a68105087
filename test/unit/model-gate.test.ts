import { describe, expect, it } from 'vitest';
import { gate, scoresFromRelevanceReport } from '../../src/models/gate.js';

const base = { hybrid: { p10: 0.6, ndcg10: 0.7, mrr: 0.8, recall10: 0.65 }, semantic: { p10: 0.5, ndcg10: 0.6, mrr: 0.7, recall10: 0.55 } };

describe('evaluation gate', () => {
  it('passes an equal or better score set, and one within the tolerance', () => {
    expect(gate(base, base, 0.02)).toEqual({ ok: true });
    expect(gate({ ...base, hybrid: { ...base.hybrid, ndcg10: 0.75 } }, base, 0.02)).toEqual({ ok: true });
    expect(gate({ ...base, hybrid: { ...base.hybrid, ndcg10: 0.685 } }, base, 0.02)).toEqual({ ok: true });
  });

  it('refuses a worse score set, naming each metric that fell short with the numbers', () => {
    const worse = { hybrid: { ...base.hybrid, ndcg10: 0.6, mrr: 0.79 }, semantic: { ...base.semantic, recall10: 0.4 } };
    const r = gate(worse, base, 0.02);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.shortfalls).toEqual([
      { mode: 'hybrid', metric: 'ndcg10', candidate: 0.6, baseline: 0.7 },
      { mode: 'semantic', metric: 'recall10', candidate: 0.4, baseline: 0.55 },
    ]);
    expect(r.reason).toContain('hybrid ndcg10 0.600 < 0.700');
  });

  it('refuses a candidate missing a mode the baseline has, and one with no scores at all', () => {
    const r = gate({ hybrid: base.hybrid }, base, 0.02);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.shortfalls.map((s) => `${s.mode}.${s.metric}`)).toEqual(['semantic.p10', 'semantic.ndcg10', 'semantic.mrr', 'semantic.recall10']);
    expect(gate(null, base, 0.02).ok).toBe(false);
    expect(gate({}, null, 0.02).ok).toBe(false);
  });

  it('with no baseline, any scored candidate passes', () => {
    expect(gate(base, null, 0.02)).toEqual({ ok: true });
  });

  it('turns a relevance report into scores, keeping numeric metrics only, and rejects an empty one', () => {
    expect(scoresFromRelevanceReport({ modes: { hybrid: { p10: 0.5, ndcg10: 0.6, mrr: 0.7, recall10: 0.8, queries: 'x' } } })).toEqual({ hybrid: { p10: 0.5, ndcg10: 0.6, mrr: 0.7, recall10: 0.8 } });
    expect(() => scoresFromRelevanceReport({ modes: {} })).toThrow(/no numeric metric/);
    expect(() => scoresFromRelevanceReport({} as never)).toThrow(/no `modes`/);
  });
});
