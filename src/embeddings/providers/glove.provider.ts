import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GloveTokenizer, readGloveMeta, type GloveMeta } from './glove-tokenizer.js';
import type { EmbeddingProvider } from './provider.js';
import { paddedInt64 } from './transformer.provider.js';

export interface GloveProviderOptions {
  /** onnxruntime intra-op threads (default: onnxruntime's own choice). */
  intraOpThreads?: number;
  /** Texts per model run; bigger calls are split (default 128). */
  batchSize?: number;
  /** Tokens kept per text (default 256). */
  maxSeqLen?: number;
}

const INPUTS = ['input_ids', 'attention_mask'] as const;
const OUTPUT = 'embeddings';

/**
 * Loads the bundled SIF-averaged word-vector model (built by scripts/build-glove-model.ts) and
 * checks it end to end (files, graph signature, output width), so a broken model folder fails
 * here with a message naming the file, not later on the first event.
 */
export async function loadGloveProvider(modelDir: string, opts: GloveProviderOptions = {}): Promise<EmbeddingProvider> {
  const dirStat = await stat(modelDir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new Error(`${modelDir}: glove model folder not found (run \`npm run build:model\`)`);

  const meta = await readGloveMeta(modelDir);
  const tokenizer = await GloveTokenizer.fromModelDir(modelDir, { meta, maxSeqLen: opts.maxSeqLen });
  const modelPath = join(modelDir, 'model.onnx');
  const session = await openSession(modelPath, opts.intraOpThreads);
  const provider = new GloveProvider(meta, tokenizer, session, opts.batchSize ?? 128);
  try {
    checkSignature(session, modelPath, meta);
    // Shape metadata can be symbolic; one real run proves the output width.
    const [probe] = await provider.embed(['']);
    if (probe.length !== meta.dims) {
      throw new Error(`${modelPath}: output "${OUTPUT}" has ${probe.length} dims but meta.json says dims=${meta.dims}`);
    }
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }
  return provider;
}

async function openSession(modelPath: string, intraOpThreads?: number): Promise<ort.InferenceSession> {
  const fileStat = await stat(modelPath).catch(() => null);
  if (!fileStat?.isFile()) throw new Error(`${modelPath}: file not found`);
  try {
    return await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(intraOpThreads ? { intraOpNumThreads: intraOpThreads } : {}),
    });
  } catch (err) {
    throw new Error(`${modelPath}: onnxruntime could not load the model (corrupt or incompatible file): ${(err as Error).message}`);
  }
}

function checkSignature(session: ort.InferenceSession, modelPath: string, meta: GloveMeta): void {
  const missing = INPUTS.filter((name) => !session.inputNames.includes(name));
  if (missing.length) throw new Error(`${modelPath}: model lacks input(s) ${missing.join(', ')} (has ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(OUTPUT)) {
    throw new Error(`${modelPath}: model lacks output "${OUTPUT}" (has ${session.outputNames.join(', ')})`);
  }
  const out = session.outputMetadata[session.outputNames.indexOf(OUTPUT)];
  const width = out?.isTensor ? out.shape.at(-1) : undefined;
  if (typeof width === 'number' && width !== meta.dims) {
    throw new Error(`${modelPath}: output "${OUTPUT}" has ${width} dims but meta.json says dims=${meta.dims}`);
  }
}

class GloveProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dims: number;
  readonly device = 'cpu';
  private disposed = false;

  constructor(
    meta: GloveMeta,
    private readonly tokenizer: GloveTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly batchSize: number,
  ) {
    this.id = meta.id;
    this.dims = meta.dims;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.disposed) throw new Error(`${this.id}: embed() called after dispose()`);
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.run(texts.slice(i, i + this.batchSize))));
    }
    return out;
  }

  /** Vocabulary hits: the rest are hashed buckets, which carry no learned meaning. */
  knownTokens(text: string): number {
    return this.tokenizer.encode(text).filter((id) => id < this.tokenizer.vocabSize).length;
  }

  /** One padded batch: ids padded with 0 under mask 0, which the graph weights to nothing. */
  private async run(texts: string[]): Promise<Float32Array[]> {
    const result = await this.session.run(gloveFeeds(this.tokenizer, texts));
    const tensor = result[OUTPUT];
    const data = tensor.data as Float32Array;
    if (tensor.type !== 'float32' || data.length !== texts.length * this.dims) {
      throw new Error(`${this.id}: model returned ${tensor.type} [${tensor.dims.join(', ')}], expected float32 [${texts.length}, ${this.dims}]`);
    }
    // Copies, so callers never keep the whole batch's buffer alive through one vector.
    return texts.map((_, b) => data.slice(b * this.dims, (b + 1) * this.dims));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }
}

/** The model's inputs for one batch: ids padded with 0 under mask 0, which the graph weights to nothing. */
export function gloveFeeds(tokenizer: GloveTokenizer, texts: readonly string[]): Record<string, ort.Tensor> {
  const encoded = texts.map((t) => tokenizer.encode(t));
  let seq = 1; // encode() never returns an empty row
  for (const row of encoded) if (row.length > seq) seq = row.length;
  const mask = new Float32Array(texts.length * seq);
  encoded.forEach((row, b) => mask.fill(1, b * seq, b * seq + row.length));
  return {
    input_ids: new ort.Tensor('int64', paddedInt64(encoded, seq), [texts.length, seq]),
    attention_mask: new ort.Tensor('float32', mask, [texts.length, seq]),
  };
}
