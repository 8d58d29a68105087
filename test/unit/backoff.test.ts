import { describe, it, expect } from 'vitest';
import { Backoff } from '../../src/relay/backoff.js';

const fixed = (r: number) => () => r;

describe('Backoff (full jitter)', () => {
  it('returns 0 when random() is 0', () => {
    const b = new Backoff(500, 60_000, fixed(0));
    expect([b.next(), b.next(), b.next()]).toEqual([0, 0, 0]);
  });

  it('returns just under the ceiling when random() is 0.999', () => {
    const b = new Backoff(1000, 60_000, fixed(0.999));
    expect(b.next()).toBe(999); // ceiling 1000
    expect(b.next()).toBe(1998); // ceiling 2000
  });

  it('doubles the ceiling on each attempt', () => {
    const b = new Backoff(100, 1_000_000, fixed(0.5));
    expect(Array.from({ length: 6 }, () => b.next())).toEqual([50, 100, 200, 400, 800, 1600]);
  });

  it('caps the ceiling at capMs', () => {
    const b = new Backoff(100, 1000, fixed(0.999));
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays.slice(0, 4)).toEqual([99, 199, 399, 799]);
    expect(delays.slice(4)).toEqual(Array(6).fill(999));
  });

  it('stays finite and capped after very many attempts', () => {
    const b = new Backoff(500, 60_000, fixed(0.999));
    let last = 0;
    for (let i = 0; i < 200; i++) last = b.next();
    expect(last).toBe(59_940);
    expect(b.attempts).toBe(200);
  });

  it('always lies in [0, ceiling) for real randomness', () => {
    const b = new Backoff(50, 3000);
    for (let i = 0; i < 50; i++) {
      const ceiling = Math.min(3000, 50 * 2 ** i);
      const d = b.next();
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(ceiling);
    }
  });

  it('honours minMs when the jittered delay is below it', () => {
    const b = new Backoff(1000, 60_000, fixed(0.1));
    expect(b.next(5000)).toBe(5000); // jitter would give 100
    expect(b.next(0)).toBe(200); // ceiling 2000: the minimum still counted as an attempt
  });

  it('honours minMs above the cap (a server-imposed wait wins)', () => {
    const b = new Backoff(100, 1000, fixed(0.999));
    expect(b.next(30_000)).toBe(30_000);
  });

  it('keeps the jittered delay when it exceeds minMs', () => {
    const b = new Backoff(1000, 60_000, fixed(0.9));
    expect(b.next(10)).toBe(900);
  });

  it('reset() starts the doubling over and zeroes attempts', () => {
    const b = new Backoff(100, 10_000, fixed(0.5));
    b.next();
    b.next();
    b.next();
    expect(b.attempts).toBe(3);
    expect(b.next()).toBe(400);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(50);
    expect(b.attempts).toBe(1);
  });

  it('calls the injected random once per delay', () => {
    let calls = 0;
    const b = new Backoff(100, 1000, () => {
      calls++;
      return 0.25;
    });
    b.next();
    b.next(5000);
    expect(calls).toBe(2);
  });
});
