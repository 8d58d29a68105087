/**
 * Exponential backoff with full jitter (AWS architecture blog): delay = random(0, min(cap,
 * base * 2^attempt)). A server-imposed minimum (Retry-After, a "go away" close) is honoured on
 * top. `random` is injectable so tests can pin it.
 */
export class Backoff {
    baseMs;
    capMs;
    random;
    attempt = 0;
    constructor(baseMs, capMs, random = Math.random) {
        this.baseMs = baseMs;
        this.capMs = capMs;
        this.random = random;
    }
    next(minMs = 0) {
        const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
        this.attempt++;
        return Math.max(minMs, Math.floor(this.random() * ceiling));
    }
    reset() {
        this.attempt = 0;
    }
    get attempts() {
        return this.attempt;
    }
}
//# sourceMappingURL=backoff.js.map