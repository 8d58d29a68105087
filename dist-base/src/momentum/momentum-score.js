import { entityKind } from '../../libs/contracts/trends.js';
const log2ratio = (observed, expected, k) => Math.log2((observed + k) / (expected + k));
const round = (x, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
export function scoreEntity(c, p, span = { shortMinutes: p.shortMinutes, recentMinutes: p.shortMinutes / 2 }) {
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
export function compareScored(a, b) {
    return b.score - a.score || b.z - a.z || b.count - a.count || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0);
}
/** Scores every entity and returns all of them (strongest first) and the leaderboard (eligible, top N). */
export function rankEntities(rows, p, span) {
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
export function diffLeaderboards(prev, next, current, alertScore) {
    const before = new Map((prev ?? []).map((i) => [i.entity, i.score]));
    const after = new Set(next.map((i) => i.entity));
    const entered = next.filter((i) => !before.has(i.entity)).map((i) => i.entity);
    const left = [...before.keys()].filter((e) => !after.has(e));
    const crossed = [];
    for (const entity of new Set([...before.keys(), ...after])) {
        const was = before.get(entity) ?? -Infinity;
        const now = current.get(entity) ?? -Infinity;
        if (was < alertScore && now >= alertScore)
            crossed.push({ entity, direction: 'up', threshold: alertScore, score: now });
        else if (was >= alertScore && now < alertScore)
            crossed.push({ entity, direction: 'down', threshold: alertScore, score: Number.isFinite(now) ? now : 0 });
    }
    return { entered, left, crossed };
}
export const hasChanges = (c) => c.entered.length > 0 || c.left.length > 0 || c.crossed.length > 0;
//# sourceMappingURL=momentum-score.js.map