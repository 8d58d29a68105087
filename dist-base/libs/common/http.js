/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable.
 */
export function retryAfterMs(header, now = Date.now()) {
    const v = Array.isArray(header) ? header[0] : header;
    if (!v)
        return undefined;
    const seconds = Number(v);
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds * 1000;
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
//# sourceMappingURL=http.js.map