import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../libs/common/http.js';
import { fullJitterMs, retryWaitMs } from '../../libs/resilience/retry-budget.js';
import type { LedgerState } from '../../src/llm/budget-ledger.repository.js';
import { percentSpent, projectsPast } from '../../src/llm/llm-budgets.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const periodStart = Date.parse('2026-12-07T10:00:00Z');
const state = (period: 'minute' | 'hour' | 'day', spent: bigint, reserved: bigint, cap: bigint | null): LedgerState => ({
  scope: 'global', period, periodStart: new Date(periodStart).toISOString(), capNanoUsd: cap, capTokens: null,
  spentNanoUsd: spent, spentTokens: 0n, reservedNanoUsd: reserved, reservedTokens: 0n,
});

describe('spend-rate projection (opens the paid tiers for a scope before its cap is reached)', () => {
  it('projects spend so far linearly to the end of the hour and refuses when that passes the cap', () => {
    // 30 % of the cap spent in the first 15 minutes → 120 % by the end of the hour.
    expect(projectsPast(state('hour', 300n, 0n, 1000n), periodStart + HOUR / 4)).toBe(true);
    // 20 % in 15 minutes → 80 %: within the cap.
    expect(projectsPast(state('hour', 200n, 0n, 1000n), periodStart + HOUR / 4)).toBe(false);
    // Exactly on the cap is not past it.
    expect(projectsPast(state('hour', 250n, 0n, 1000n), periodStart + HOUR / 4)).toBe(false);
  });
  it('counts held reservations as spend (concurrent callers in flight project too)', () => {
    expect(projectsPast(state('hour', 100n, 200n, 1000n), periodStart + HOUR / 4)).toBe(true);
  });
  it('applies to the daily cap the same way', () => {
    expect(projectsPast(state('day', 600n, 0n, 1000n), periodStart + DAY / 2)).toBe(true);
    expect(projectsPast(state('day', 400n, 0n, 1000n), periodStart + DAY / 2)).toBe(false);
  });
  it('waits for 10 % of the period before projecting (one early call must not close the tier), and ignores minute rows and uncapped rows', () => {
    expect(projectsPast(state('hour', 90n, 0n, 1000n), periodStart + HOUR / 20)).toBe(false);
    expect(projectsPast(state('hour', 90n, 0n, 1000n), periodStart + HOUR / 10)).toBe(false); // 90 → 900 at the end
    expect(projectsPast(state('hour', 110n, 0n, 1000n), periodStart + HOUR / 10)).toBe(true); // 110 → 1100
    expect(projectsPast(state('minute', 999n, 0n, 1000n), periodStart + 1)).toBe(false);
    expect(projectsPast(state('hour', 10_000n, 0n, null), periodStart + HOUR / 2)).toBe(false);
  });
  it('percentSpent floors to whole percent of the larger share', () => {
    expect(percentSpent(state('day', 799n, 0n, 1000n))).toBe(79);
    expect(percentSpent(state('day', 800n, 0n, 1000n))).toBe(80);
  });
});

describe('full-jitter backoff honouring Retry-After', () => {
  it('jitter spans [0, min(cap, base·2^n)]', () => {
    expect(fullJitterMs(3, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterMs(3, 100, 10_000, () => 0.999999)).toBe(799);
    expect(fullJitterMs(10, 100, 10_000, () => 0.999999)).toBe(9_999); // capped
  });
  it('never waits less than the Retry-After the server sent, however small the jitter draw', () => {
    expect(retryWaitMs(0, 100, 10_000, 2_000, () => 0)).toBe(2_000);
    expect(retryWaitMs(0, 100, 10_000, 2_000, () => 0.999999)).toBe(2_000);
    // A jitter draw longer than Retry-After wins (Retry-After is a floor, not the wait).
    expect(retryWaitMs(6, 100, 10_000, 50, () => 0.5)).toBe(3_200);
    expect(retryWaitMs(2, 100, 10_000, undefined, () => 0.5)).toBe(200);
  });
  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
