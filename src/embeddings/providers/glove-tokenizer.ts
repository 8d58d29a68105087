import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from './model-files.js';

/** The parts of a glove model folder's meta.json the runtime relies on (written by scripts/build-glove-model.ts). */
export interface GloveMeta {
  id: string;
  dims: number;
  vocabSize: number;
  buckets: number;
}

export const DEFAULT_MAX_SEQ_LEN = 256;

/** FNV-1a 32-bit over the UTF-8 bytes: cheap, stable across runs and platforms. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}


const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

export async function readGloveMeta(modelDir: string): Promise<GloveMeta> {
  const path = join(modelDir, 'meta.json');
  const meta = (await readJson(path, 'model metadata')) as Partial<GloveMeta> | null;
  const problems: string[] = [];
  if (typeof meta?.id !== 'string' || !meta.id) problems.push('"id" must be a non-empty string');
  for (const key of ['dims', 'vocabSize', 'buckets'] as const) {
    if (!isPositiveInt(meta?.[key])) problems.push(`"${key}" must be a positive integer`);
  }
  if (problems.length) throw new Error(`${path}: invalid model metadata: ${problems.join('; ')}`);
  return meta as GloveMeta;
}

// Token pattern, tried left to right on lowercased NFKC text:
//   1. URLs (scheme or www.)               → reduced to their domain
//   2. $cashtag / #hashtag / @mention      → kept whole (must start with a letter: "$100" is a price)
//   3. numbers with inner . , :            → "3.5", "1,000" as one token (then skipped, see pushToken)
//   4. words, with inner ' or -            → "don't", "well-known"
//   5. emoji                               → one token each (hashed: they carry meaning in posts)
const TOKEN_RE =
  /(?<url>(?:https?:\/\/|www\.)[^\s<>"'`]+)|(?<tag>[$#@][\p{L}_][\p{L}\p{M}\p{N}_]*)|(?<num>\p{N}+(?:[.,:]\p{N}+)+)|(?<word>[\p{L}\p{M}\p{N}_]+(?:['-][\p{L}\p{M}\p{N}_]+)*)|(?<emoji>\p{Extended_Pictographic})/gu;

/** Typographic apostrophes and dashes folded to ASCII so "don’t" and "don't" tokenize alike. */
const APOSTROPHES_RE = /[\u2018\u2019\u02bc\u2032]/g;
const HYPHENS_RE = /[\u2010\u2011]/g;

/**
 * Maps text to ids for the glove model: id < V is a vocabulary word, V ≤ id < V + H a hashed
 * bucket (out-of-vocabulary tokens, and the "own identity" of cashtags/hashtags/mentions).
 */
export class GloveTokenizer {
  readonly vocabSize: number;
  private readonly index: Map<string, number>;

  constructor(
    vocab: readonly string[],
    readonly buckets: number,
    readonly maxSeqLen = DEFAULT_MAX_SEQ_LEN,
  ) {
    if (!isPositiveInt(buckets)) throw new Error(`buckets must be a positive integer (got ${buckets})`);
    if (!isPositiveInt(maxSeqLen)) throw new Error(`maxSeqLen must be a positive integer (got ${maxSeqLen})`);
    this.vocabSize = vocab.length;
    this.index = new Map();
    // First occurrence wins, so ids always point at the most frequent spelling.
    vocab.forEach((word, i) => {
      if (!this.index.has(word)) this.index.set(word, i);
    });
  }

  /** Loads vocab.json (a JSON array of words, index = id) and the bucket count from meta.json. */
  static async fromModelDir(modelDir: string, opts: { maxSeqLen?: number; meta?: GloveMeta } = {}): Promise<GloveTokenizer> {
    const meta = opts.meta ?? (await readGloveMeta(modelDir));
    const path = join(modelDir, 'vocab.json');
    const vocab = await readJson(path, 'vocabulary');
    if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string')) {
      throw new Error(`${path}: vocabulary must be a JSON array of strings`);
    }
    if (vocab.length !== meta.vocabSize) {
      throw new Error(`${path}: has ${vocab.length} words but meta.json says vocabSize=${meta.vocabSize}`);
    }
    return new GloveTokenizer(vocab as string[], meta.buckets, opts.maxSeqLen);
  }

  bucketId(token: string): number {
    return this.vocabSize + (fnv1a32(token) % this.buckets);
  }

  /** Surface tokens after normalisation (before vocabulary lookup). */
  tokenize(text: string): string[] {
    const norm = text.normalize('NFKC').toLowerCase().replace(APOSTROPHES_RE, "'").replace(HYPHENS_RE, '-');
    const tokens: string[] = [];
    for (const m of norm.matchAll(TOKEN_RE)) {
      const g = m.groups!;
      if (g.url) {
        const domain = urlDomain(g.url);
        if (domain) tokens.push(domain);
      } else {
        tokens.push(m[0]);
      }
    }
    return tokens;
  }

  /** Ids for one text: never empty, at most maxSeqLen long. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const token of this.tokenize(text)) {
      this.pushToken(token, ids);
      if (ids.length >= this.maxSeqLen) break;
    }
    // Empty/punctuation-only text still gets a (unit-length) vector: the empty-string bucket.
    if (ids.length === 0) ids.push(this.bucketId(''));
    return ids.length > this.maxSeqLen ? ids.slice(0, this.maxSeqLen) : ids;
  }

  private pushToken(token: string, ids: number[]): void {
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
      for (const part of parts) this.pushToken(part, ids);
      return;
    }
    if (token.includes('-')) {
      // Unknown compound ("crypto-twitter"): its parts carry the meaning.
      for (const part of token.split('-')) this.pushToken(part, ids);
      return;
    }
    // The source has no one-letter words and no plain numbers. Hashing them would give "a", "i"
    // or "10" the full weight of a rare word, so they are skipped as noise.
    if (SINGLE_LETTER_RE.test(token) || !HAS_LETTER_RE.test(token)) return;
    ids.push(this.bucketId(token));
  }
}

const SINGLE_LETTER_RE = /^[a-z]$/;
/** Letters or emoji: what makes an unknown token worth a bucket. */
const HAS_LETTER_RE = /[\p{L}\p{Extended_Pictographic}]/u;

/** "https://www.Example.com/a?b" → "example.com"; null if unparseable. */
function urlDomain(url: string): string | null {
  // Trailing punctuation is usually sentence punctuation, not part of the URL.
  const trimmed = url.replace(/[.,;:!?)\]}]+$/u, '');
  try {
    const host = new URL(trimmed.startsWith('www.') ? `http://${trimmed}` : trimmed).hostname;
    return host.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}
