/**
 * Entity extraction for ingested events.
 *
 * Runs on every event the relay sees, so it is built for speed: one pre-compiled "trigger" regex
 * finds candidate positions (`$`, `#`, `@`, `http(s)://`, `www.`), and a pre-compiled sticky regex
 * per kind is then anchored at that position. Nothing here allocates a regex per call.
 *
 * Output entities (normalised, de-duplicated, in order of first appearance, at most 32):
 * - cashtags  `$btc`   — `$` + a letter + up to 9 letters/digits (so `$100` is not one), lowercase
 * - hashtags  `#ai`    — unicode letters/marks/digits/underscore, not only digits/underscores,
 *                        NFKC-normalised, lowercase, at most 64 chars
 * - mentions  `@alice.bsky.social`, `@bob` — lowercase, trailing `.`/`-` stripped; never emails
 * - domains   `example.com` — host of http(s) links and bare `www.` links: lowercase, no `www.`,
 *                        no userinfo, no port, no path; dotless hosts and IP literals are skipped
 */
// The kind of an entity is defined once, with the contract: libs/contracts/trends.ts.
export { entityKind } from '../../libs/contracts/trends.js';
/** Max entities returned per event. */
export const MAX_ENTITIES = 32;
/** Only the first this-many UTF-16 code units of a text are scanned. */
export const MAX_SCAN_CHARS = 10_000;
const MAX_HASHTAG_CHARS = 64;
const MAX_HANDLE_CHARS = 253;
/** Candidate positions. `\uFF03` / `\uFF20` are the fullwidth `＃` / `＠` (NFKC maps them to `#` / `@`). */
const TRIGGER = /[$#@\uFF03\uFF20]|https?:\/\/|www\./gi;
// The sticky (`y`) regexes below are run with lastIndex set to a trigger position; their leading
// lookbehind looks at the character before the sigil, so "a$b", "x#y", "me@host.com" don't match.
const CASHTAG = /(?<![\p{L}\p{M}\p{N}_$])\$([A-Za-z][A-Za-z0-9]{0,9})(?![\p{L}\p{M}\p{N}_])/uy;
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&/\\#＃])[#＃]([\p{L}\p{N}_][\p{L}\p{M}\p{N}_]*)/uy;
const MENTION = /(?<![\p{L}\p{M}\p{N}_&/\\@＠+])[@＠]([A-Za-z0-9_.-]+)/uy;
/** Scheme, optional userinfo, host (or bracketed IPv6), optional port, then the rest of the URL (skipped). */
const URL_RE = /https?:\/\/(?:[^\s/?#@<>"]*@)?(\[[0-9A-Fa-f:.]+\]|[\p{L}\p{M}\p{N}_.-]+)(?::\d*)?[^\s<>"]*/iuy;
const WWW_RE = /(?<![\p{L}\p{M}\p{N}_.\/@-])www\.([\p{L}\p{M}\p{N}_.-]+)(?::\d*)?[^\s<>"]*/iuy;
const NON_ASCII = /[^\x00-\x7f]/;
const HASHTAG_BODY_HAS_NON_DIGIT = /[^\p{N}_]/u;
const HASHTAG_BODY_VALID = /^[\p{L}\p{M}\p{N}_]+$/u;
const LEADING_LETTER_OR_UNDERSCORE = /^[A-Za-z_]/;
const ALL_DIGIT_TLD = /\.\d+$/;
const LAST_LABEL_STARTS_WITH_LETTER = /\.[A-Za-z][^.]*$/;
function nfkcLower(s) {
    return NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase() : s.toLowerCase();
}
function hashtagEntity(body) {
    let tag;
    if (NON_ASCII.test(body)) {
        tag = body.normalize('NFKC').toLowerCase();
        if (!HASHTAG_BODY_VALID.test(tag))
            return null; // NFKC expanded to punctuation, e.g. "⑴" -> "(1)"
    }
    else {
        tag = body.toLowerCase();
    }
    if (tag.length > MAX_HASHTAG_CHARS || !HASHTAG_BODY_HAS_NON_DIGIT.test(tag))
        return null;
    return '#' + tag;
}
function mentionEntity(raw) {
    // Strip trailing punctuation that was allowed inside the handle: "@alice.bsky.social." / "@bob-".
    let end = raw.length;
    while (end > 0) {
        const c = raw.charCodeAt(end - 1);
        if (c === 46 /* . */ || c === 45 /* - */)
            end--;
        else
            break;
    }
    const handle = end === raw.length ? raw : raw.slice(0, end);
    if (handle.length === 0 || handle.length > MAX_HANDLE_CHARS)
        return null;
    const first = handle.charCodeAt(0);
    if (first === 46 || first === 45)
        return null; // "@.foo", "@-foo"
    if (handle.indexOf('.') === -1) {
        // Plain "@bob": must start with a letter or underscore, so "@10am" / "@100" are not mentions.
        if (!LEADING_LETTER_OR_UNDERSCORE.test(handle))
            return null;
    }
    else {
        // Domain handle: no empty labels and the TLD starts with a letter ("@1.5" is not a handle).
        if (handle.includes('..') || !LAST_LABEL_STARTS_WITH_LETTER.test(handle))
            return null;
    }
    return '@' + handle.toLowerCase();
}
function domainEntity(rawHost) {
    let host = rawHost;
    // Trailing dots / hyphens are sentence punctuation ("see https://example.com.") or FQDN dots.
    let end = host.length;
    while (end > 0) {
        const c = host.charCodeAt(end - 1);
        if (c === 46 || c === 45)
            end--;
        else
            break;
    }
    if (end !== host.length)
        host = host.slice(0, end);
    if (host.length === 0 || host.length > 253)
        return null;
    host = nfkcLower(host);
    if (host.charCodeAt(0) === 91 /* [ */)
        return null; // bracketed IPv6 literal: not a domain
    if (host.startsWith('www.') && host.indexOf('.', 4) !== -1)
        host = host.slice(4);
    const c0 = host.charCodeAt(0);
    if (c0 === 46 || c0 === 45 || host.indexOf('.') === -1 || host.includes('..'))
        return null;
    if (ALL_DIGIT_TLD.test(host))
        return null; // IPv4 literal (or junk like "1.5")
    return host;
}
/**
 * Extracts normalised entities from `text`. Never throws: non-strings, lone surrogates and huge
 * inputs are fine (only the first {@link MAX_SCAN_CHARS} code units are scanned).
 */
export function extractEntities(text) {
    const out = [];
    if (typeof text !== 'string' || text.length < 2)
        return out;
    const s = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
    try {
        TRIGGER.lastIndex = 0;
        let m;
        while ((m = TRIGGER.exec(s)) !== null) {
            const at = m.index;
            const c = s.charCodeAt(at);
            let entity = null;
            let next = at + 1;
            let r;
            switch (c) {
                case 36: // $
                    CASHTAG.lastIndex = at;
                    if ((r = CASHTAG.exec(s)) !== null) {
                        entity = '$' + r[1].toLowerCase();
                        next = CASHTAG.lastIndex;
                    }
                    break;
                case 35: // #
                case 0xff03:
                    HASHTAG.lastIndex = at;
                    if ((r = HASHTAG.exec(s)) !== null) {
                        entity = hashtagEntity(r[1]);
                        next = HASHTAG.lastIndex;
                    }
                    break;
                case 64: // @
                case 0xff20:
                    MENTION.lastIndex = at;
                    if ((r = MENTION.exec(s)) !== null) {
                        entity = mentionEntity(r[1]);
                        next = MENTION.lastIndex;
                    }
                    break;
                case 104: // h
                case 72: // H
                    URL_RE.lastIndex = at;
                    if ((r = URL_RE.exec(s)) !== null) {
                        entity = domainEntity(r[1]);
                        next = URL_RE.lastIndex; // skip the whole URL: no tags/mentions from paths or fragments
                    }
                    break;
                default: // w / W
                    WWW_RE.lastIndex = at;
                    if ((r = WWW_RE.exec(s)) !== null) {
                        entity = domainEntity(r[1]);
                        next = WWW_RE.lastIndex;
                    }
                    break;
            }
            if (entity !== null && !out.includes(entity)) {
                out.push(entity);
                if (out.length >= MAX_ENTITIES)
                    break;
            }
            TRIGGER.lastIndex = next;
        }
    }
    catch {
        // Defensive: extraction is best-effort and must never take the ingest path down.
    }
    return out;
}
/** Classifies an entity produced by {@link extractEntities} by its leading sigil. */
//# sourceMappingURL=extract-entities.js.map