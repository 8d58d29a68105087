/**
 * The two guards of a paid or remote chain link. Both take their time from an injectable clock
 * (milliseconds, like Date.now) so tests can move time instead of waiting for it.
 */
export type Clock = () => number;

/** Either the link may be used now, or why not and when it may be again (clock ms). */
export type Verdict = { ok: true } | { ok: false; reason: string; retryAt: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Limits per window; 0 means no limit. */
export interface BudgetLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
  requestsPerDay: number;
  tokensPerDay: number;
}

/** Usage in one fixed window. Fixed (not sliding) windows match how provider quotas reset and are easy to reason about. */
class Window {
  start = Number.NaN;
  requests = 0;
  tokens = 0;

  constructor(
    readonly name: 'minute' | 'day',
    readonly spanMs: number,
    readonly maxRequests: number,
    readonly maxTokens: number,
  ) {}

  /** Moves to the window holding `now` (minutes and UTC days since the epoch), dropping old usage. */
  roll(now: number): this {
    const start = Math.floor(now / this.spanMs) * this.spanMs;
    if (start !== this.start) {
      this.start = start;
      this.requests = 0;
      this.tokens = 0;
    }
    return this;
  }

  get resetAt(): number {
    return this.start + this.spanMs;
  }
}

/** A reservation made by {@link EconomicBreaker.spend}, settled once the real token count is known. */
export interface Spend {
  /** Replaces the estimated tokens by what the server reported (0 when the request failed and was not billed). */
  settle(actualTokens: number): void;
}

/**
 * Economic breaker: requests and tokens per clock minute and per UTC day. When a window is spent
 * the link is skipped until that window resets. Tokens are reserved up front from an estimate
 * (so concurrent calls cannot overshoot together) and corrected by the server's usage report.
 */
export class EconomicBreaker {
  private readonly windows: Window[];

  constructor(
    limits: BudgetLimits,
    private readonly clock: Clock = Date.now,
  ) {
    this.windows = [
      new Window('minute', MINUTE_MS, limits.requestsPerMinute, limits.tokensPerMinute),
      new Window('day', DAY_MS, limits.requestsPerDay, limits.tokensPerDay),
    ];
  }

  /** Whether `requests` requests carrying about `tokens` tokens fit in every window now. */
  check(requests = 1, tokens = 0): Verdict {
    const now = this.clock();
    for (const w of this.windows) {
      w.roll(now);
      if (w.maxRequests && w.requests + requests > w.maxRequests) {
        return { ok: false, reason: `request budget per ${w.name} spent (${w.requests}/${w.maxRequests})`, retryAt: w.resetAt };
      }
      if (w.maxTokens && w.tokens + tokens > w.maxTokens) {
        const why = tokens > w.maxTokens ? `a call of ~${tokens} tokens exceeds` : `spent ${w.tokens} of`;
        return { ok: false, reason: `token budget per ${w.name}: ${why} ${w.maxTokens}`, retryAt: w.resetAt };
      }
    }
    return { ok: true };
  }

  /** Counts `requests` and reserves `estimatedTokens` in every window; call after {@link check}. */
  spend(requests: number, estimatedTokens: number): Spend {
    const now = this.clock();
    const held = this.windows.map((w) => {
      w.roll(now);
      w.requests += requests;
      w.tokens += estimatedTokens;
      return { w, start: w.start };
    });
    let settled = false;
    return {
      settle: (actualTokens) => {
        if (settled) return;
        settled = true;
        const delta = Math.max(0, actualTokens) - estimatedTokens;
        // A window that has rolled over since no longer holds the reservation.
        for (const { w, start } of held) if (w.start === start) w.tokens = Math.max(0, w.tokens + delta);
      },
    };
  }

  /** Usage per window, for status output. */
  usage(): { window: 'minute' | 'day'; requests: number; tokens: number; maxRequests: number; maxTokens: number; resetAt: number }[] {
    const now = this.clock();
    return this.windows.map((w) => {
      w.roll(now);
      return { window: w.name, requests: w.requests, tokens: w.tokens, maxRequests: w.maxRequests, maxTokens: w.maxTokens, resetAt: w.resetAt };
    });
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ErrorBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe request may go. */
  openMs: number;
  /** A success slower than this counts as a failure (0: off). */
  slowMs?: number;
  clock?: Clock;
  /** Told about every state change, e.g. for logs and metrics. */
  onChange?: (state: BreakerState, reason: string) => void;
}

/**
 * Error/latency breaker. Closed: requests pass. After `failureThreshold` consecutive failures
 * (errors, timeouts, or slow successes) it opens and requests are refused for `openMs`. Then it
 * is half-open: exactly one probe request passes; its success closes the breaker, its failure
 * opens it again for another `openMs`.
 */
export class ErrorBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private probing = false;
  private readonly clock: Clock;

  constructor(private readonly opts: ErrorBreakerOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a request could go now, without taking the half-open probe slot. */
  check(): Verdict {
    if (this.current === 'closed') return { ok: true };
    if (this.current === 'open' && this.clock() < this.openUntil) {
      return { ok: false, reason: `breaker open after ${this.failures} failure(s)`, retryAt: this.openUntil };
    }
    // Open and due for a probe, or half-open: only if no probe is already in flight.
    return this.probing ? { ok: false, reason: 'breaker half-open: a probe request is in flight', retryAt: this.clock() } : { ok: true };
  }

  /** Takes permission to send one request; in half-open that request is the probe. */
  acquire(): Verdict {
    const v = this.check();
    if (v.ok && this.current !== 'closed') {
      this.probing = true;
      this.move('half-open', 'open period over: probing');
    }
    return v;
  }

  /** Reports a request that succeeded after `latencyMs`. */
  success(latencyMs = 0): void {
    const { slowMs = 0 } = this.opts;
    if (slowMs > 0 && latencyMs > slowMs) {
      this.failure(`slow: ${latencyMs} ms > ${slowMs} ms`);
      return;
    }
    this.failures = 0;
    if (this.current === 'half-open') {
      this.probing = false;
      this.move('closed', 'probe succeeded');
    }
  }

  /** Reports a failed request (error, timeout, bad answer). */
  failure(reason: string): void {
    this.failures++;
    if (this.current === 'half-open') {
      this.probing = false;
      this.open(this.opts.openMs, `probe failed: ${reason}`);
    } else if (this.current === 'closed' && this.failures >= this.opts.failureThreshold) {
      this.open(this.opts.openMs, `${this.failures} consecutive failure(s), last: ${reason}`);
    }
  }

  /** Opens at once for `ms` (e.g. a 429 with Retry-After: the server asked us to stop). */
  trip(ms: number, reason: string): void {
    this.failures = Math.max(this.failures, 1);
    this.probing = false;
    this.open(Math.max(ms, 0), reason);
  }

  private open(ms: number, reason: string) {
    this.openUntil = this.clock() + ms;
    this.move('open', reason, true);
  }

  private move(state: BreakerState, reason: string, always = false) {
    if (state === this.current && !always) return;
    this.current = state;
    this.opts.onChange?.(state, reason);
  }
}
