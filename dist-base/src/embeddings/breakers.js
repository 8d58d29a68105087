const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Usage in one fixed window. Fixed (not sliding) windows match how provider quotas reset and are easy to reason about. */
class Window {
    name;
    spanMs;
    maxRequests;
    maxTokens;
    start = Number.NaN;
    requests = 0;
    tokens = 0;
    constructor(name, spanMs, maxRequests, maxTokens) {
        this.name = name;
        this.spanMs = spanMs;
        this.maxRequests = maxRequests;
        this.maxTokens = maxTokens;
    }
    /** Moves to the window holding `now` (minutes and UTC days since the epoch), dropping old usage. */
    roll(now) {
        const start = Math.floor(now / this.spanMs) * this.spanMs;
        if (start !== this.start) {
            this.start = start;
            this.requests = 0;
            this.tokens = 0;
        }
        return this;
    }
    get resetAt() {
        return this.start + this.spanMs;
    }
}
/**
 * Economic breaker: requests and tokens per clock minute and per UTC day. When a window is spent
 * the link is skipped until that window resets. Tokens are reserved up front from an estimate
 * (so concurrent calls cannot overshoot together) and corrected by the server's usage report.
 */
export class EconomicBreaker {
    clock;
    windows;
    constructor(limits, clock = Date.now) {
        this.clock = clock;
        this.windows = [
            new Window('minute', MINUTE_MS, limits.requestsPerMinute, limits.tokensPerMinute),
            new Window('day', DAY_MS, limits.requestsPerDay, limits.tokensPerDay),
        ];
    }
    /** Whether `requests` requests carrying about `tokens` tokens fit in every window now. */
    check(requests = 1, tokens = 0) {
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
    spend(requests, estimatedTokens) {
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
                if (settled)
                    return;
                settled = true;
                const delta = Math.max(0, actualTokens) - estimatedTokens;
                // A window that has rolled over since no longer holds the reservation.
                for (const { w, start } of held)
                    if (w.start === start)
                        w.tokens = Math.max(0, w.tokens + delta);
            },
        };
    }
    /** Usage per window, for status output. */
    usage() {
        const now = this.clock();
        return this.windows.map((w) => {
            w.roll(now);
            return { window: w.name, requests: w.requests, tokens: w.tokens, maxRequests: w.maxRequests, maxTokens: w.maxTokens, resetAt: w.resetAt };
        });
    }
}
/**
 * Error/latency breaker. Closed: requests pass. After `failureThreshold` consecutive failures
 * (errors, timeouts, or slow successes) it opens and requests are refused for `openMs`. Then it
 * is half-open: exactly one probe request passes; its success closes the breaker, its failure
 * opens it again for another `openMs`.
 */
export class ErrorBreaker {
    opts;
    current = 'closed';
    failures = 0;
    openUntil = 0;
    probing = false;
    clock;
    constructor(opts) {
        this.opts = opts;
        this.clock = opts.clock ?? Date.now;
    }
    get state() {
        return this.current;
    }
    /** Whether a request could go now, without taking the half-open probe slot. */
    check() {
        if (this.current === 'closed')
            return { ok: true };
        if (this.current === 'open' && this.clock() < this.openUntil) {
            return { ok: false, reason: `breaker open after ${this.failures} failure(s)`, retryAt: this.openUntil };
        }
        // Open and due for a probe, or half-open: only if no probe is already in flight.
        return this.probing ? { ok: false, reason: 'breaker half-open: a probe request is in flight', retryAt: this.clock() } : { ok: true };
    }
    /** Takes permission to send one request; in half-open that request is the probe. */
    acquire() {
        const v = this.check();
        if (v.ok && this.current !== 'closed') {
            this.probing = true;
            this.move('half-open', 'open period over: probing');
        }
        return v;
    }
    /** Reports a request that succeeded after `latencyMs`. */
    success(latencyMs = 0) {
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
    failure(reason) {
        this.failures++;
        if (this.current === 'half-open') {
            this.probing = false;
            this.open(this.opts.openMs, `probe failed: ${reason}`);
        }
        else if (this.current === 'closed' && this.failures >= this.opts.failureThreshold) {
            this.open(this.opts.openMs, `${this.failures} consecutive failure(s), last: ${reason}`);
        }
    }
    /** Opens at once for `ms` (e.g. a 429 with Retry-After: the server asked us to stop). */
    trip(ms, reason) {
        this.failures = Math.max(this.failures, 1);
        this.probing = false;
        this.open(Math.max(ms, 0), reason);
    }
    open(ms, reason) {
        this.openUntil = this.clock() + ms;
        this.move('open', reason, true);
    }
    move(state, reason, always = false) {
        if (state === this.current && !always)
            return;
        this.current = state;
        this.opts.onChange?.(state, reason);
    }
}
//# sourceMappingURL=breakers.js.map