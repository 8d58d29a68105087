import { join } from 'node:path';
import { readJson } from './model-files.js';
export const DEFAULT_MAX_SEQ_LEN = 256;
/**
 * FNV-1a 32-bit over the UTF-8 bytes: cheap, stable across runs and platforms. The bytes are
 * produced inline (no Buffer per token), exactly as Buffer.from(text, 'utf8') encodes them,
 * lone surrogates included (as U+FFFD).
 */
export function fnv1a32(text) {
    let h = 0x811c9dc5;
    const n = text.length;
    for (let i = 0; i < n; i++) {
        let c = text.charCodeAt(i);
        if (c < 0x80) {
            h = Math.imul(h ^ c, 0x01000193);
            continue;
        }
        if (c >= 0xd800 && c <= 0xdfff) {
            const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
            if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
                i++;
            }
            else {
                c = 0xfffd;
            }
        }
        if (c < 0x800) {
            h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
        }
        else {
            if (c < 0x10000) {
                h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
            }
            else {
                h = Math.imul(h ^ (0xf0 | (c >> 18)), 0x01000193);
                h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), 0x01000193);
            }
            h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), 0x01000193);
        }
        h = Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
    }
    return h >>> 0;
}
const isPositiveInt = (v) => Number.isInteger(v) && v > 0;
export async function readGloveMeta(modelDir) {
    const path = join(modelDir, 'meta.json');
    const meta = (await readJson(path, 'model metadata'));
    const problems = [];
    if (typeof meta?.id !== 'string' || !meta.id)
        problems.push('"id" must be a non-empty string');
    for (const key of ['dims', 'vocabSize', 'buckets']) {
        if (!isPositiveInt(meta?.[key]))
            problems.push(`"${key}" must be a positive integer`);
    }
    if (problems.length)
        throw new Error(`${path}: invalid model metadata: ${problems.join('; ')}`);
    return meta;
}
// Token pattern, tried left to right on lowercased NFKC text:
//   1. URLs (scheme or www.)               → reduced to their domain
//   2. $cashtag / #hashtag / @mention      → kept whole (must start with a letter: "$100" is a price)
//   3. numbers with inner . , :            → "3.5", "1,000" as one token (then skipped, see pushToken)
//   4. words, with inner ' or -            → "don't", "well-known"
//   5. emoji                               → one token each (hashed: they carry meaning in posts)
// Only the URL alternative captures: named groups would cost an object per match.
const TOKEN_RE = /((?:https?:\/\/|www\.)[^\s<>"'`]+)|[$#@][\p{L}_][\p{L}\p{M}\p{N}_]*|\p{N}+(?:[.,:]\p{N}+)+|[\p{L}\p{M}\p{N}_]+(?:['-][\p{L}\p{M}\p{N}_]+)*|\p{Extended_Pictographic}/gu;
/** NFKC leaves pure ASCII unchanged, so the (costly) normalisation is skipped for it. */
const NON_ASCII_RE = /[^\x00-\x7f]/;
/** Typographic apostrophes and dashes folded to ASCII so "don’t" and "don't" tokenize alike. */
const APOSTROPHES_RE = /[\u2018\u2019\u02bc\u2032]/g;
const HYPHENS_RE = /[\u2010\u2011]/g;
/**
 * Maps text to ids for the glove model: id < V is a vocabulary word, V ≤ id < V + H a hashed
 * bucket (out-of-vocabulary tokens, and the "own identity" of cashtags/hashtags/mentions).
 */
export class GloveTokenizer {
    buckets;
    maxSeqLen;
    vocabSize;
    index;
    constructor(vocab, buckets, maxSeqLen = DEFAULT_MAX_SEQ_LEN) {
        this.buckets = buckets;
        this.maxSeqLen = maxSeqLen;
        if (!isPositiveInt(buckets))
            throw new Error(`buckets must be a positive integer (got ${buckets})`);
        if (!isPositiveInt(maxSeqLen))
            throw new Error(`maxSeqLen must be a positive integer (got ${maxSeqLen})`);
        this.vocabSize = vocab.length;
        this.index = new Map();
        // First occurrence wins, so ids always point at the most frequent spelling.
        vocab.forEach((word, i) => {
            if (!this.index.has(word))
                this.index.set(word, i);
        });
    }
    /** Loads vocab.json (a JSON array of words, index = id) and the bucket count from meta.json. */
    static async fromModelDir(modelDir, opts = {}) {
        const meta = opts.meta ?? (await readGloveMeta(modelDir));
        const path = join(modelDir, 'vocab.json');
        const vocab = await readJson(path, 'vocabulary');
        if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string')) {
            throw new Error(`${path}: vocabulary must be a JSON array of strings`);
        }
        if (vocab.length !== meta.vocabSize) {
            throw new Error(`${path}: has ${vocab.length} words but meta.json says vocabSize=${meta.vocabSize}`);
        }
        return new GloveTokenizer(vocab, meta.buckets, opts.maxSeqLen);
    }
    bucketId(token) {
        return this.vocabSize + (fnv1a32(token) % this.buckets);
    }
    /** Surface tokens after normalisation (before vocabulary lookup). */
    tokenize(text) {
        const tokens = [];
        this.scan(text, (t) => void tokens.push(t));
        return tokens;
    }
    /** Ids for one text: never empty, at most maxSeqLen long. */
    encode(text) {
        const ids = [];
        this.scan(text, (token) => {
            this.pushToken(token, ids);
            return ids.length >= this.maxSeqLen;
        });
        // Empty/punctuation-only text still gets a (unit-length) vector: the empty-string bucket.
        if (ids.length === 0)
            ids.push(this.bucketId(''));
        return ids.length > this.maxSeqLen ? ids.slice(0, this.maxSeqLen) : ids;
    }
    /** Feeds each surface token to `onToken` in order until it returns true. */
    scan(text, onToken) {
        let norm = NON_ASCII_RE.test(text) ? text.normalize('NFKC').toLowerCase() : text.toLowerCase();
        // The folded characters are all non-ASCII.
        if (NON_ASCII_RE.test(norm))
            norm = norm.replace(APOSTROPHES_RE, "'").replace(HYPHENS_RE, '-');
        const re = TOKEN_RE;
        re.lastIndex = 0;
        for (let m = re.exec(norm); m; m = re.exec(norm)) {
            if (m[1] !== undefined) {
                const domain = urlDomain(m[1]);
                if (domain && onToken(domain))
                    break;
            }
            else if (onToken(m[0]))
                break;
        }
    }
    pushToken(token, ids) {
        const known = this.index.get(token);
        if (known !== undefined) {
            ids.push(known);
            return;
        }
        const first = token.charCodeAt(0);
        if (first === 0x24 || first === 0x23 || first === 0x40) {
            // $pepe / #ai / @nasa: its own bucket keeps exact matches exact; the bare word places it
            // near the plain word (a vocabulary id, or the same bucket the plain OOV word gets).
            ids.push(this.bucketId(token));
            this.pushToken(token.slice(1), ids);
            return;
        }
        if (token.includes("'")) {
            // The source vocabulary has no apostrophes ("dont", "isn", "ll"): try the joined form,
            // else keep the parts, dropping one-letter clitics ("trump's" → trump, "don't" → don).
            const joined = token.replaceAll("'", '');
            const id = this.index.get(joined);
            if (id !== undefined) {
                ids.push(id);
                return;
            }
            const parts = token.split("'").filter((p, i) => i === 0 || p.length > 1);
            for (const part of parts)
                this.pushToken(part, ids);
            return;
        }
        if (token.includes('-')) {
            // Unknown compound ("crypto-twitter"): its parts carry the meaning.
            for (const part of token.split('-'))
                this.pushToken(part, ids);
            return;
        }
        // The source has no one-letter words and no plain numbers. Hashing them would give "a", "i"
        // or "10" the full weight of a rare word, so they are skipped as noise.
        if (SINGLE_LETTER_RE.test(token) || !HAS_LETTER_RE.test(token))
            return;
        ids.push(this.bucketId(token));
    }
}
const SINGLE_LETTER_RE = /^[a-z]$/;
/** Letters or emoji: what makes an unknown token worth a bucket. */
const HAS_LETTER_RE = /[\p{L}\p{Extended_Pictographic}]/u;
/** "https://www.Example.com/a?b" → "example.com"; null if unparseable. */
function urlDomain(url) {
    // Trailing punctuation is usually sentence punctuation, not part of the URL.
    const trimmed = url.replace(/[.,;:!?)\]}]+$/u, '');
    try {
        const host = new URL(trimmed.startsWith('www.') ? `http://${trimmed}` : trimmed).hostname;
        return host.replace(/^www\./, '') || null;
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=glove-tokenizer.js.map