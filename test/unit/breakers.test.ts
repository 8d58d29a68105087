import { describe, expect, it } from 'vitest';
import { EconomicBreaker, ErrorBreaker, type BreakerState } from '../../src/embeddings/breakers.js';

/** A clock the test moves by hand. Starts at 2024-01-01T00:00:10Z (10 s into a minute and a day). */
function fakeClock(start = Date.UTC(2024, 0, 1, 0, 0, 10)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => (now += ms);
  clock.set = (t: number) => (now = t);
  return clock;
}

const limits = (l: Partial<{ requestsPerMinute: number; tokensPerMinute: number; requestsPerDay: number; tokensPerDay: number }>) => ({
  requestsPerMinute: 0,
  tokensPerMinute: 0,
  requestsPerDay: 0,
  tokensPerDay: 0,
  ...l,
});

describe('EconomicBreaker', () => {
  it('allows requests until the per-minute count is spent, then again from the next minute', () => {
    const clock = fakeClock();
    const b = new EconomicBreaker(limits({ requestsPerMinute: 3 }), clock);
    for (let i = 0; i < 3; i++) {
      expect(b.check(1).ok).toBe(true);
      b.spend(1, 0);
    }
    const spent = b.check(1);
    expect(spent).toEqual({ ok: false, reason: 'request budget per minute spent (3/3)', retryAt: Date.UTC(2024, 0, 1, 0, 1, 0) });
    clock.advance(49_999); // 00:00:59.999, still the same minute
    expect(b.check(1).ok).toBe(false);
    clock.advance(1);
    expect(b.check(1).ok).toBe(true);
  });

  it('checks a multi-request call as a whole', () => {
    const b = new EconomicBreaker(limits({ requestsPerMinute: 4 }), fakeClock());
    b.spend(2, 0);
    expect(b.check(2).ok).toBe(true);
    expect(b.check(3).ok).toBe(false);
  });

  it('reserves estimated tokens and settles them to the reported usage', () => {
    const b = new EconomicBreaker(limits({ tokensPerMinute: 100 }), fakeClock());
    const s = b.spend(1, 80);
    expect(b.check(1, 30).ok).toBe(false); // the reservation counts while the call is in flight
    s.settle(20);
    expect(b.check(1, 30).ok).toBe(true);
    expect(b.usage()[0]).toMatchObject({ window: 'minute', requests: 1, tokens: 20 });
    s.settle(90); // settling twice is ignored
    expect(b.usage()[0]!.tokens).toBe(20);
  });

  it('refunds the tokens of a failed request but still counts the request', () => {
    const b = new EconomicBreaker(limits({ tokensPerDay: 50, requestsPerDay: 10 }), fakeClock());
    b.spend(1, 40).settle(0);
    expect(b.usage()[1]).toMatchObject({ window: 'day', requests: 1, tokens: 0 });
  });

  it('says when a single call can never fit the token limit', () => {
    const b = new EconomicBreaker(limits({ tokensPerMinute: 100 }), fakeClock());
    const v = b.check(1, 150);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toBe('token budget per minute: a call of ~150 tokens exceeds 100');
  });

  it('keeps the daily budget across minutes and resets it at UTC midnight', () => {
    const clock = fakeClock(Date.UTC(2024, 0, 1, 23, 58, 0));
    const b = new EconomicBreaker(limits({ requestsPerDay: 2, requestsPerMinute: 5 }), clock);
    b.spend(1, 0);
    clock.advance(60_000);
    b.spend(1, 0);
    const v = b.check(1);
    expect(v).toMatchObject({ ok: false, reason: 'request budget per day spent (2/2)', retryAt: Date.UTC(2024, 0, 2) });
    clock.set(Date.UTC(2024, 0, 2));
    expect(b.check(1).ok).toBe(true);
  });

  it('does not carry a settlement into a window that has rolled over', () => {
    const clock = fakeClock();
    const b = new EconomicBreaker(limits({ tokensPerMinute: 100 }), clock);
    const s = b.spend(1, 10);
    clock.advance(60_000);
    s.settle(90);
    expect(b.usage()[0]!.tokens).toBe(0);
  });

  it('treats 0 as no limit', () => {
    const b = new EconomicBreaker(limits({}), fakeClock());
    b.spend(1_000_000, 1e12);
    expect(b.check(1, 1e9).ok).toBe(true);
  });
});

describe('ErrorBreaker', () => {
  const make = (extra: Partial<{ slowMs: number }> = {}) => {
    const clock = fakeClock();
    const changes: [BreakerState, string][] = [];
    const b = new ErrorBreaker({ failureThreshold: 3, openMs: 5000, clock, onChange: (s, r) => changes.push([s, r]), ...extra });
    return { b, clock, changes };
  };

  it('opens after N consecutive failures; a success in between resets the count', () => {
    const { b, changes } = make();
    b.failure('e1');
    b.failure('e2');
    b.success();
    b.failure('e3');
    b.failure('e4');
    expect(b.state).toBe('closed');
    b.failure('e5');
    expect(b.state).toBe('open');
    expect(changes).toEqual([['open', '3 consecutive failure(s), last: e5']]);
    expect(b.acquire()).toMatchObject({ ok: false, reason: 'breaker open after 3 failure(s)' });
  });

  it('half-opens after the open period and lets exactly one probe through; its success closes', () => {
    const { b, clock, changes } = make();
    for (let i = 0; i < 3; i++) b.failure('boom');
    clock.advance(4999);
    expect(b.check().ok).toBe(false);
    clock.advance(1);
    expect(b.check().ok).toBe(true); // checking does not take the probe slot
    expect(b.acquire().ok).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.acquire()).toMatchObject({ ok: false, reason: 'breaker half-open: a probe request is in flight' });
    b.success();
    expect(b.state).toBe('closed');
    expect(b.acquire().ok).toBe(true);
    expect(changes.map(([s]) => s)).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens for another period when the probe fails', () => {
    const { b, clock } = make();
    for (let i = 0; i < 3; i++) b.failure('boom');
    clock.advance(5000);
    b.acquire();
    b.failure('still down');
    expect(b.state).toBe('open');
    clock.advance(4999);
    expect(b.acquire().ok).toBe(false);
    clock.advance(1);
    expect(b.acquire().ok).toBe(true);
  });

  it('counts a slow success as a failure when slowMs is set', () => {
    const { b } = make({ slowMs: 1000 });
    b.success(1001);
    b.success(1500);
    b.success(1000); // at the limit is fine, and resets the count
    b.success(2000);
    b.success(2000);
    expect(b.state).toBe('closed');
    b.success(2000);
    expect(b.state).toBe('open');
  });

  it('trips at once for a given time (a server asking to back off)', () => {
    const { b, clock } = make();
    b.trip(20_000, 'retry-after 20s');
    expect(b.state).toBe('open');
    clock.advance(19_999);
    expect(b.check().ok).toBe(false);
    clock.advance(1);
    expect(b.check().ok).toBe(true);
  });
});
