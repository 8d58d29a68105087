const decoder = new TextDecoder('utf-8', { fatal: true });
/** Size and UTF-8 checks every text protocol needs before JSON.parse. */
export function decodeJsonFrame(frame, maxBytes) {
    if (frame.length > maxBytes)
        return { kind: 'bad', reason: 'oversized', detail: `${frame.length} bytes > ${maxBytes}` };
    let text;
    try {
        text = decoder.decode(frame);
    }
    catch {
        return { kind: 'bad', reason: 'invalid_utf8', detail: 'frame is not valid UTF-8' };
    }
    try {
        return { ok: true, value: JSON.parse(text) };
    }
    catch (err) {
        return { kind: 'bad', reason: 'not_json', detail: err.message.slice(0, 200) };
    }
}
// Events claiming to be from before 2000 or more than a day ahead are not trusted.
const MIN_TIME_MS = Date.UTC(2000, 0, 1);
const MAX_AHEAD_MS = 24 * 3600 * 1000;
export function isSaneTime(ms, nowMs = Date.now()) {
    return Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= nowMs + MAX_AHEAD_MS;
}
//# sourceMappingURL=frame-checks.js.map