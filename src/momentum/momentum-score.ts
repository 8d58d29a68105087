import { entityKind, type TrendChanges, type TrendCrossing, type TrendItem } from '../../libs/contracts/trends.js';

/**
 * Momentum scoring: pure functions, no I/O (unit-tested in test/unit/momentum-score.test.ts).
 *
 * For each entity the database supplies three counts: `count` in the short window (ending now,
 * the current minute included), `recent` (the second half of that window) and `baselineCount` in
 * the baseline window just before it. The entity's own baseline rate predicts the short window:
 *
 *   expected = baselineCount / baselineMinutes × shortMinutes
 *   score    = log2((count + k) / (expected + k))         k = smoothing (pseudo-count)
 *   z        = (count − expected) / sqrt(expected + k)
 *
 * - A steady entity, however big, scores ≈ 0: it is compared with itself, not with others.
 * - k damps small numbers: 0 → 3 mentions is log2(8/5) ≈ 0.7, 0 → 60 is log2(65/5) ≈ 3.7.
 * - Minimum support (`minCount`), a minimum score and a minimum z keep noise off the board.
 * - Acceleration is the score of the window's second half minus that of its first half (each
 *   against its own expected count): > 0 means the rise is speeding up.
 */
export interface MomentumParams {
  /** Nominal short window, whole minutes. */
  shortMinutes: number;
  baselineMinutes: number;
  minCount: number;
  smoothing: number;
  minScore: number;
  minZ: number;
  topN: number;
}

/** Counts for one entity, as the database returns them. */
export interface WindowCounts {
  entity: string;
  /** Mentions in the short window. */
  count: number;
  /** Mentions in the second half of the short window. */
  recent: number;
  /** Mentions in the baseline window. */
  baselineCount: number;
}

/** Elapsed lengths (minutes) of the short window and of its second half: the current minute is partial. */
export interface WindowSpan {
  shortMinutes: number;
  recentMinutes: number;
}

/** An entity's figures as the leaderboard lists them, before ranking. */
export interface Scored extends Pick<TrendItem, 'entity' | 'score' | 'z' | 'acceleration' | 'count' | 'baselineCount' | 'expected'> {
  /** Passes minimum support, minimum score and minimum z: it may rank. */
  eligible: boolean;
}

const log2ratio = (observed: number, expected: number, k: number) => Math.log2((observed + k) / (expected + k));
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function scoreEntity(c: WindowCounts, p: MomentumParams, span: WindowSpan = { shortMinutes: p.shortMinutes, recentMinutes: p.shortMinutes / 2 }): Scored {
  const k = p.smoothing;
  const rate = p.baselineMinutes > 0 ? c.baselineCount / p.baselineMinutes : 0;
  const shortLen = Math.max(span.shortMinutes, 1e-6);
  const recentLen = Math.min(Math.max(span.recentMinutes, 0), shortLen);
  const expected = rate * shortLen;
  const score = log2ratio(c.count, expected, k);
  const z = (c.count - expected) / Math.sqrt(expected + k);
  // Each half gets half the pseudo-count, so the two halves together weigh like the whole window.
  const recent = Math.min(c.recent, c.count);
  const earlier = c.count - recent;
  const acceleration = log2ratio(recent, rate * recentLen, k / 2) - log2ratio(earlier, rate * (shortLen - recentLen), k / 2);
  return {
    entity: c.entity,
    score: round(score),
    z: round(z),
    acceleration: round(acceleration),
    count: c.count,
    baselineCount: c.baselineCount,
    expected: round(expected, 2),
    eligible: c.count >= p.minCount && score >= p.minScore && z >= p.minZ,
  };
}

/** Strongest first: score, then significance, then volume, then name (stable, deterministic). */
export function compareScored(a: Scored, b: Scored): number {
  return b.score - a.score || b.z - a.z || b.count - a.count || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0);
}

/** Scores every entity and returns all of them (strongest first) and the leaderboard (eligible, top N). */
export function rankEntities(rows: WindowCounts[], p: MomentumParams, span?: WindowSpan): { all: Scored[]; top: Omit<TrendItem, 'sparkline'>[] } {
  const all = rows.map((r) => scoreEntity(r, p, span)).sort(compareScored);
  const top = all
    .filter((s) => s.eligible)
    .slice(0, p.topN)
    .map((s, i) => ({
      rank: i + 1,
      entity: s.entity,
      kind: entityKind(s.entity),
      score: s.score,
      z: s.z,
      acceleration: s.acceleration,
      count: s.count,
      baselineCount: s.baselineCount,
      expected: s.expected,
    }));
  return { all, top };
}

/**
 * What changed between two leaderboards: entities that entered or left, and entities (on either
 * board) whose score crossed `alertScore`. An entity's current score comes from `current` (every
 * scored entity), so one that left the board but still scores high does not "cross down"; one
 * with no score now counts as below every threshold.
 */
export function diffLeaderboards(
  prev: Pick<TrendItem, 'entity' | 'score'>[] | undefined,
  next: Pick<TrendItem, 'entity' | 'score'>[],
  current: ReadonlyMap<string, number>,
  alertScore: number,
): TrendChanges {
  const before = new Map((prev ?? []).map((i) => [i.entity, i.score]));
  const after = new Set(next.map((i) => i.entity));
  const entered = next.filter((i) => !before.has(i.entity)).map((i) => i.entity);
  const left = [...before.keys()].filter((e) => !after.has(e));
  const crossed: TrendCrossing[] = [];
  for (const entity of new Set([...before.keys(), ...after])) {
    const was = before.get(entity) ?? -Infinity;
    const now = current.get(entity) ?? -Infinity;
    if (was < alertScore && now >= alertScore) crossed.push({ entity, direction: 'up', threshold: alertScore, score: now });
    else if (was >= alertScore && now < alertScore) crossed.push({ entity, direction: 'down', threshold: alertScore, score: Number.isFinite(now) ? now : 0 });
  }
  return { entered, left, crossed };
}

export const hasChanges = (c: TrendChanges) => c.entered.length > 0 || c.left.length > 0 || c.crossed.length > 0;
