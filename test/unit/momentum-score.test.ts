import { describe, expect, it } from 'vitest';
import { diffLeaderboards, hasChanges, rankEntities, scoreEntity, type MomentumParams, type WindowCounts } from '../../src/momentum/momentum-score.js';

const P: MomentumParams = { shortMinutes: 10, baselineMinutes: 360, minCount: 5, smoothing: 5, minScore: 1, minZ: 3, topN: 10 };

/** Deterministic pseudo-random generator (mulberry32) so noise is the same on every run. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson sample by inversion (fine for the small means used here). */
function poisson(mean: number, rand: () => number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rand)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}
const gauss = (rand: () => number) => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());

/** Counts for an entity with `perMinute` mentions per minute over both windows (Poisson noise). */
function steady(entity: string, perMinute: number, rand: () => number): WindowCounts {
  let count = 0;
  let recent = 0;
  let baselineCount = 0;
  for (let m = 0; m < P.baselineMinutes; m++) baselineCount += poisson(perMinute, rand);
  for (let m = 0; m < P.shortMinutes; m++) {
    const n = poisson(perMinute, rand);
    count += n;
    if (m >= P.shortMinutes / 2) recent += n;
  }
  return { entity, count, recent, baselineCount };
}

describe('momentum score', () => {
  it('scores a steady entity near zero whatever its volume, and never as gaining momentum', () => {
    const rand = rng(7);
    for (const perMinute of [0.5, 3, 30, 300, 3000]) {
      for (let trial = 0; trial < 200; trial++) {
        const s = scoreEntity(steady(`$e${perMinute}`, perMinute, rand), P);
        // Poisson noise shrinks relative to volume: tight bounds for big entities, looser for small.
        const bound = perMinute >= 30 ? 0.35 : perMinute >= 3 ? 0.75 : P.minScore;
        expect(s.score).toBeLessThan(bound);
        if (perMinute >= 3) expect(s.score).toBeGreaterThan(-bound);
        expect(s.eligible).toBe(false);
      }
    }
  });

  it('is exactly 0 for a count that matches the baseline rate', () => {
    const s = scoreEntity({ entity: '$btc', count: 100, recent: 50, baselineCount: 3600 }, P);
    expect(s.expected).toBe(100);
    expect(s.score).toBe(0);
    expect(s.z).toBe(0);
    expect(s.acceleration).toBe(0);
  });

  it('scores a burst from nothing high and significant', () => {
    const s = scoreEntity({ entity: '$xyz', count: 60, recent: 60, baselineCount: 0 }, P);
    expect(s.score).toBeCloseTo(Math.log2(65 / 5), 3);
    expect(s.z).toBeGreaterThan(20);
    expect(s.acceleration).toBeGreaterThan(2);
    expect(s.eligible).toBe(true);
  });

  it('keeps low-count noise off the board (minimum support and smoothing)', () => {
    for (const count of [1, 2, 3, 4]) {
      const s = scoreEntity({ entity: '$noise', count, recent: count, baselineCount: 0 }, P);
      expect(s.eligible).toBe(false);
      expect(s.score).toBeLessThan(Math.log2(10 / 5) + 1e-9);
    }
    // Even at minimum support, 5 mentions from nothing is not significant enough with the defaults.
    expect(scoreEntity({ entity: '$five', count: 5, recent: 5, baselineCount: 0 }, P).eligible).toBe(false);
  });

  it('a big entity that more than doubles gains momentum, one that grows 10 % does not', () => {
    expect(scoreEntity({ entity: '$big', count: 2100, recent: 1050, baselineCount: 36_000 }, P).eligible).toBe(true);
    expect(scoreEntity({ entity: '$big', count: 1100, recent: 550, baselineCount: 36_000 }, P).eligible).toBe(false);
  });

  it('a falling entity scores negative; acceleration tells speeding up from slowing down', () => {
    expect(scoreEntity({ entity: '$fall', count: 10, recent: 2, baselineCount: 3600 }, P).score).toBeLessThan(-2);
    const up = scoreEntity({ entity: '$up', count: 50, recent: 45, baselineCount: 360 }, P);
    const down = scoreEntity({ entity: '$down', count: 50, recent: 5, baselineCount: 360 }, P);
    expect(up.acceleration).toBeGreaterThan(0);
    expect(down.acceleration).toBeLessThan(0);
    expect(up.score).toBe(down.score);
  });

  it('uses the elapsed window length (the current minute is partial)', () => {
    const full = scoreEntity({ entity: '$a', count: 95, recent: 50, baselineCount: 3600 }, P, { shortMinutes: 10, recentMinutes: 5 });
    const partial = scoreEntity({ entity: '$a', count: 95, recent: 50, baselineCount: 3600 }, P, { shortMinutes: 9.5, recentMinutes: 4.5 });
    expect(full.expected).toBe(100);
    expect(partial.expected).toBe(95);
    expect(partial.score).toBe(0);
  });
});

describe('ranking', () => {
  it('puts a burst on top of steady background and noise; steady and noise are not listed', () => {
    const rand = rng(42);
    const rows: WindowCounts[] = [
      steady('$btc', 200, rand),
      steady('#ai', 20, rand),
      steady('@alice.bsky.social', 3, rand),
      steady('example.com', 8, rand),
      ...Array.from({ length: 300 }, (_, i) => ({ entity: `$n${i}`, count: 1 + (i % 4), recent: i % 2, baselineCount: 0 })),
      { entity: '$xyz', count: 60, recent: 58, baselineCount: 2 },
    ];
    const { top, all } = rankEntities(rows, P);
    expect(top[0]).toMatchObject({ rank: 1, entity: '$xyz', kind: 'cashtag' });
    expect(top.map((t) => t.entity)).toEqual(['$xyz']);
    expect(all).toHaveLength(rows.length);
  });

  it('orders by score, then z, then count, then name, and cuts at topN', () => {
    const rows: WindowCounts[] = Array.from({ length: 30 }, (_, i) => ({ entity: `#t${String(i).padStart(2, '0')}`, count: 40 + i, recent: 20, baselineCount: 0 }));
    rows.push({ entity: '#tie-b', count: 40, recent: 20, baselineCount: 0 }, { entity: '#tie-a', count: 40, recent: 20, baselineCount: 0 });
    const { top } = rankEntities(rows, { ...P, topN: 5 });
    expect(top.map((t) => t.entity)).toEqual(['#t29', '#t28', '#t27', '#t26', '#t25']);
    const ties = rankEntities(rows.filter((r) => r.count === 40), P).top.map((t) => t.entity);
    expect(ties).toEqual(['#t00', '#tie-a', '#tie-b']);
    expect(top.map((t) => t.rank)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('leaderboard changes', () => {
  const item = (entity: string, score: number) => ({ entity, score });

  it('reports entries, exits and threshold crossings both ways', () => {
    const prev = [item('$a', 3.5), item('$b', 2), item('$c', 4)];
    const next = [item('$a', 2.5), item('$b', 3.2), item('$d', 5)];
    const current = new Map([
      ['$a', 2.5],
      ['$b', 3.2],
      ['$d', 5],
      ['$c', 3.9],
    ]);
    const c = diffLeaderboards(prev, next, current, 3);
    expect(c.entered).toEqual(['$d']);
    expect(c.left).toEqual(['$c']);
    expect(c.crossed).toEqual([
      { entity: '$a', direction: 'down', threshold: 3, score: 2.5 },
      { entity: '$b', direction: 'up', threshold: 3, score: 3.2 },
      { entity: '$d', direction: 'up', threshold: 3, score: 5 },
    ]);
    // $c left the board but still scores above the threshold: no crossing for it.
    expect(c.crossed.some((x) => x.entity === '$c')).toBe(false);
  });

  it('an entity that vanished entirely crosses down; the same board twice changes nothing', () => {
    const prev = [item('$a', 4)];
    expect(diffLeaderboards(prev, [], new Map(), 3).crossed).toEqual([{ entity: '$a', direction: 'down', threshold: 3, score: 0 }]);
    expect(hasChanges(diffLeaderboards(prev, prev, new Map([['$a', 4]]), 3))).toBe(false);
    expect(diffLeaderboards(undefined, prev, new Map([['$a', 4]]), 3)).toEqual({ entered: ['$a'], left: [], crossed: [{ entity: '$a', direction: 'up', threshold: 3, score: 4 }] });
  });
});
