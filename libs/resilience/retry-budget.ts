import type { Clock } from './breakers.js';

/**
 * Retry budget (gRPC retry throttling / Finagle style): retries may be at most `ratio` of the
 * calls seen over a sliding window, plus a small floor so a quiet link can still retry once.
 * A failing provider therefore never gets more than ~(1 + ratio)× the original traffic.
 */
export class RetryBudget {
  /** [timestamp ms, kind] of calls and retries inside the window, oldest first. */
  private readonly calls: number[] = [];
  private readonly retries: number[] = [];

  constructor(
    private readonly opts: { ratio: number; windowMs: number; minRetries: number },
    private readonly clock: Clock = Date.now,
  ) {}

  private prune(now: number) {
    const cutoff = now - this.opts.windowMs;
    while (this.calls.length && this.calls[0]! <= cutoff) this.calls.shift();
    while (this.retries.length && this.retries[0]! <= cutoff) this.retries.shift();
  }

  /** Counts one original call (not a retry). */
  recordCall(): void {
    const now = this.clock();
    this.prune(now);
    this.calls.push(now);
  }

  /** Takes one retry if the budget allows; false means "do not retry, fail over instead". */
  tryRetry(): boolean {
    const now = this.clock();
    this.prune(now);
    const allowed = Math.max(this.opts.minRetries, Math.floor(this.calls.length * this.opts.ratio));
    if (this.retries.length >= allowed) return false;
    this.retries.push(now);
    return true;
  }

  state(): { calls: number; retries: number; allowed: number; ratio: number; windowMs: number } {
    this.prune(this.clock());
    const allowed = Math.max(this.opts.minRetries, Math.floor(this.calls.length * this.opts.ratio));
    return { calls: this.calls.length, retries: this.retries.length, allowed, ratio: this.opts.ratio, windowMs: this.opts.windowMs };
  }
}

/** Full-jitter backoff (AWS architecture blog): uniform in [0, min(cap, base·2^attempt)]. */
export function fullJitterMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * The wait before retry `attempt`: full jitter, but never shorter than the server's Retry-After
 * (a server that asked for a pause gets at least that pause, however lucky the jitter).
 */
export function retryWaitMs(attempt: number, baseMs: number, capMs: number, retryAfterMs?: number, random: () => number = Math.random): number {
  return Math.max(fullJitterMs(attempt, baseMs, capMs, random), retryAfterMs ?? 0);
}
