/**
 * Momentum (trending entities): what GET /trends serves, what trend snapshots store and what the
 * `trends.changed` bus topic carries (api instances forward it to socket.io clients).
 */

export type EntityKind = 'cashtag' | 'hashtag' | 'mention' | 'domain';

/** `$btc` → cashtag, `#ai` → hashtag, `@alice.bsky.social` → mention, anything else → domain. */
export function entityKind(entity: string): EntityKind {
  switch (entity[0]) {
    case '$':
      return 'cashtag';
    case '#':
      return 'hashtag';
    case '@':
      return 'mention';
    default:
      return 'domain';
  }
}

/** One leaderboard entry. */
export interface TrendItem {
  /** 1 = strongest momentum. */
  rank: number;
  entity: string;
  kind: EntityKind;
  /** log2((count + k) / (expected + k)), k = MOMENTUM_SMOOTHING: 1 ≈ twice the entity's usual rate. */
  score: number;
  /** Significance: (count − expected) / sqrt(expected + k). */
  z: number;
  /** log2 of the smoothed ratio of the short window's second half to its first half: > 0 speeding up. */
  acceleration: number;
  /** Mentions in the short window. */
  count: number;
  /** Mentions in the baseline window (the one before the short window). */
  baselineCount: number;
  /** Mentions the baseline rate predicts for the short window. */
  expected: number;
  /** Mentions per minute, oldest first, ending with the current minute. */
  sparkline: number[];
}

/** A listed entity's score crossed MOMENTUM_ALERT_SCORE between two snapshots. */
export interface TrendCrossing {
  entity: string;
  direction: 'up' | 'down';
  threshold: number;
  score: number;
}

/** What changed from one snapshot to the next. */
export interface TrendChanges {
  /** Entities now on the leaderboard that were not on the previous one. */
  entered: string[];
  /** Entities on the previous leaderboard that are not on this one. */
  left: string[];
  crossed: TrendCrossing[];
}

/** Payload of TOPICS.trendsChanged: published once per recompute that changed something. */
export interface TrendsChanged extends TrendChanges {
  snapshotId: string;
  /** Database time the leaderboard was computed at. */
  computedAt: string;
  shortWindowMinutes: number;
  baselineMinutes: number;
  /** The whole new leaderboard, so a client can simply replace what it shows. */
  top: TrendItem[];
}
