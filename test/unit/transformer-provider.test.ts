import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halfToFloat, loadTransformerProvider, paddedInt64 } from '../../src/embeddings/providers/transformer.provider.js';
import type { EmbeddingProvider } from '../../src/embeddings/providers/provider.js';
import { TINY_HIDDEN, TINY_VOCAB, tinyBertTokenizerJson, wordPieceVocab, writeCorruptTinyBert, writeTinyBert, writeWrongDimsTinyBert } from '../support/tiny-bert.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** Whether this onnxruntime install carries the CUDA provider library (then a CUDA session might really open). */
function cudaProviderInstalled(): boolean {
  const ortDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  return existsSync(join(ortDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}

/** Reference pooling straight from the graph output, for one unpadded text. */
async function referenceVector(modelPath: string, text: string, pooling: 'mean' | 'cls'): Promise<Float32Array> {
  const ids = new Tokenizer(tinyBertTokenizerJson(), {}).encode(text).ids;
  const session = await ort.InferenceSession.create(modelPath);
  try {
    const t = (fill: (i: number) => number) => new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(fill(i))), [1, ids.length]);
    const out = await session.run({ input_ids: t((i) => ids[i]!), attention_mask: t(() => 1), token_type_ids: t(() => 0) });
    const h = out.last_hidden_state!.data as Float32Array;
    const v = new Float32Array(TINY_HIDDEN);
    const rows = pooling === 'cls' ? 1 : ids.length;
    for (let r = 0; r < rows; r++) for (let d = 0; d < TINY_HIDDEN; d++) v[d]! += h[r * TINY_HIDDEN + d]! / rows;
    const n = Math.sqrt(dot(v, v));
    return v.map((x) => x / n);
  } finally {
    await session.release();
  }
}

describe('transformer provider (tiny BERT built by the test)', () => {
  let root: string;
  let dir: string;
  let provider: EmbeddingProvider;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sift-tiny-bert-'));
    dir = writeTinyBert(join(root, 'tiny-bert'), { layout: 'onnx', variants: { fp16: { fp16Output: true } } });
    provider = await loadTransformerProvider(dir, { intraOpThreads: 1 });
  });

  afterAll(async () => {
    await provider?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('loads the HF export layout and reports id, dims and device', () => {
    expect(provider.dims).toBe(TINY_HIDDEN);
    expect(provider.device).toBe('cpu');
    // Folder name plus a fingerprint of config.json + tokenizer.json.
    expect(provider.id).toMatch(/^tiny-bert@[0-9a-f]{8}$/);
  });

  it('returns one unit-length vector per text, in order, deterministically', async () => {
    const texts = ['bitcoin price rally', 'rain today', 'the quick brown fox'];
    const a = await provider.embed(texts);
    const b = await provider.embed([...texts].reverse());
    expect(a).toHaveLength(3);
    for (const v of a) {
      expect(v).toHaveLength(TINY_HIDDEN);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    a.forEach((v, i) => expect(maxDiff(v, b[2 - i]!)).toBeLessThan(1e-5));
    expect(dot(a[0]!, a[1]!)).toBeLessThan(0.9999);
    expect(await provider.embed([])).toEqual([]);
  });

  it('tokenises with tokenizer.json: BERT normalisation folds case and spacing', async () => {
    const [x, y, z] = await provider.embed(['Hello   WORLD', 'hello world', 'hello dog']);
    expect(maxDiff(x!, y!)).toBeLessThan(1e-6);
    expect(maxDiff(x!, z!)).toBeGreaterThan(1e-3);
  });

  it('mean-pools the real tokens only, so padding in a batch does not change a vector', async () => {
    const [alone] = await provider.embed(['fox']);
    const [padded] = await provider.embed(['fox', 'a much longer text about the bitcoin market and the weather today']);
    expect(maxDiff(alone!, padded!)).toBeLessThan(1e-5);
    expect(maxDiff(alone!, await referenceVector(join(dir, 'onnx', 'model.onnx'), 'fox', 'mean'))).toBeLessThan(1e-5);
  });

  it('truncates to the model limit, keeping [SEP] last (positions past 64 would not exist in the graph)', async () => {
    const words = Array.from({ length: 200 }, (_, i) => ['fox', 'dog', 'cat', 'rain'][i % 4]);
    // [CLS] + 62 words + [SEP] = 64 tokens, the tokenizer_config model_max_length.
    const [long, prefix] = await provider.embed([words.join(' '), words.slice(0, 62).join(' ')]);
    expect(maxDiff(long!, prefix!)).toBeLessThan(1e-5);
  });

  it('loads a variant from onnx/model_<variant>.onnx; fp16 output is converted and shares the model id', async () => {
    const fp16 = await loadTransformerProvider(dir, { variant: 'fp16' });
    try {
      expect(fp16.id).toBe(provider.id);
      const [h] = await fp16.embed(['bitcoin price rally']);
      const [f] = await provider.embed(['bitcoin price rally']);
      // Half precision: close to the fp32 vector, but not bit-identical (so the fp16 file really ran).
      expect(dot(h!, f!)).toBeGreaterThan(0.999);
      expect(maxDiff(h!, f!)).toBeGreaterThan(0);
    } finally {
      await fp16.dispose();
    }
  });

  it('uses CLS pooling when the sentence-transformers pooling config says so', async () => {
    const clsDir = writeTinyBert(join(root, 'tiny-cls'));
    mkdirSync(join(clsDir, '1_Pooling'));
    writeFileSync(join(clsDir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 32, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    const cls = await loadTransformerProvider(clsDir);
    try {
      const [v] = await cls.embed(['the lazy dog']);
      expect(maxDiff(v!, await referenceVector(join(clsDir, 'model.onnx'), 'the lazy dog', 'cls'))).toBeLessThan(1e-5);
      expect(maxDiff(v!, await referenceVector(join(clsDir, 'model.onnx'), 'the lazy dog', 'mean'))).toBeGreaterThan(1e-3);
    } finally {
      await cls.dispose();
    }
  });

  it('takes the model id from meta.json, and rejects one unfit for the vector store', async () => {
    const pinned = await loadTransformerProvider(writeTinyBert(join(root, 'pinned'), { meta: { id: 'tiny@7' } }));
    expect(pinned.id).toBe('tiny@7');
    await pinned.dispose();
    await expect(loadTransformerProvider(writeTinyBert(join(root, 'bad-id'), { meta: { id: 'no spaces please' } }))).rejects.toThrow(/model id "no spaces please" is not usable/);
  });

  describe('fails to load, with a message naming the cause', () => {
    it('missing folder', async () => {
      await expect(loadTransformerProvider(join(root, 'nope'))).rejects.toThrow(/nope: model folder not found/);
    });

    it('missing tokenizer.json', async () => {
      const d = writeTinyBert(join(root, 'no-tokenizer'));
      unlinkSync(join(d, 'tokenizer.json'));
      await expect(loadTransformerProvider(d)).rejects.toThrow(/tokenizer\.json: cannot read tokenizer \(file not found\)/);
    });

    it('missing variant file, listing where it looked', async () => {
      await expect(loadTransformerProvider(dir, { variant: 'int8' })).rejects.toThrow(/no model_int8\.onnx \(looked for .*model_int8\.onnx, .*onnx\/model_int8\.onnx\)/);
    });

    it('corrupt ONNX file', async () => {
      const d = writeCorruptTinyBert(join(root, 'corrupt'));
      await expect(loadTransformerProvider(d)).rejects.toThrow(/model\.onnx: onnxruntime could not load the model \(corrupt or incompatible file\)/);
    });

    it('output width that contradicts config.json', async () => {
      const d = writeWrongDimsTinyBert(join(root, 'wrong-dims'));
      await expect(loadTransformerProvider(d)).rejects.toThrow(/output "last_hidden_state" has 16 dims but config\.json hidden_size says 32/);
    });

    it('a graph without a token or sentence output', async () => {
      const d = writeTinyBert(join(root, 'odd-output'), { graph: { outputName: 'logits' } });
      await expect(loadTransformerProvider(d)).rejects.toThrow(/has no last_hidden_state \/ token_embeddings \/ sentence_embedding output \(has logits\)/);
    });

    it.skipIf(cudaProviderInstalled())('a CUDA session on a host without the CUDA provider', async () => {
      await expect(loadTransformerProvider(dir, { device: 'cuda' })).rejects.toThrow(/could not create a CUDA session/);
    });
  });
});

describe('halfToFloat', () => {
  it('decodes IEEE binary16', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe('transformer provider tensors', () => {
  it('pads int64 ids without BigInt per id, equal to the BigInt construction', () => {
    const rows = [[101, 7, 2 ** 31 - 1, 102], [5], []];
    const seq = 4;
    const viaBigInt = new BigInt64Array(rows.length * seq);
    rows.forEach((r, b) => r.forEach((id, t) => (viaBigInt[b * seq + t] = BigInt(id))));
    expect(paddedInt64(rows, seq)).toEqual(viaBigInt);
    expect([...paddedInt64(rows, seq, 1)]).toEqual([1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });

  it('modelCalls() gives the runs embed() makes: batchSize texts, similar lengths together, the same vectors through a bare session', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sift-tiny-bert-calls-'));
    // A deeper, wider-vocabulary build (the bench's MiniLM-shaped path, scaled down).
    const vocab = wordPieceVocab(['the', 'quick', 'brown', 'fox', 'bitcoin', 'price', ...TINY_VOCAB.slice(5)], 200);
    const dir = writeTinyBert(join(root, 'deep'), { graph: { layers: 3, heads: 4, vocab, maxPositions: 32 } });
    const p = await loadTransformerProvider(dir, { intraOpThreads: 1, batchSize: 2 });
    try {
      const texts = ['the quick brown fox jumps over the lazy dog', 'bitcoin', 'price of bitcoin today', 'a'];
      const calls = (p as unknown as { modelCalls: (t: string[]) => Record<string, ort.Tensor>[] }).modelCalls(texts);
      expect(calls.map((c) => c.input_ids!.dims[0])).toEqual([2, 2]);
      const lens = calls.map((c) => c.input_ids!.dims[1]!);
      expect(lens[0]).toBeLessThanOrEqual(lens[1]!);
      expect(calls[0]!.token_type_ids!.dims).toEqual(calls[0]!.input_ids!.dims);
      const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
      try {
        const out = await session.run(calls[1]!);
        expect(out.last_hidden_state!.dims).toEqual([2, lens[1], TINY_HIDDEN]);
      } finally {
        await session.release();
      }
      const vectors = await p.embed(texts);
      expect(vectors.every((v) => v.length === TINY_HIDDEN && v.every(Number.isFinite))).toBe(true);
      // One at a time gives the same vectors as the padded, sorted batches.
      for (const [i, t] of texts.entries()) expect(maxDiff((await p.embed([t]))[0]!, vectors[i]!)).toBeLessThan(1e-4);
    } finally {
      await p.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
