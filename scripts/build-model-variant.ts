/**
 * Builds a variant of the bundled glove model for model-lifecycle tests and benches:
 *
 *   node dist/scripts/build-model-variant.js --out DIR [--from models/glove-100d] [--id glove-100d-copy@1] [--shuffle] [--seed 1]
 *
 * - without --shuffle: the same weights under another id (an "equal" candidate);
 * - with --shuffle: the vocabulary is permuted (seeded), so every word gets another word's vector
 *   — a deliberately degraded model with the same shape, same dims, same speed.
 * model.onnx is hard-linked when possible (42 MB), vocab.json and meta.json are rewritten.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../libs/common/random.js';

export interface VariantOptions {
  from: string;
  out: string;
  id: string;
  shuffle?: boolean;
  seed?: number;
}

export function buildModelVariant(o: VariantOptions): string {
  const from = resolve(o.from);
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const onnxOut = join(out, 'model.onnx');
  if (existsSync(onnxOut)) rmSync(onnxOut);
  try {
    linkSync(join(from, 'model.onnx'), onnxOut);
  } catch {
    copyFileSync(join(from, 'model.onnx'), onnxOut);
  }
  const vocab = JSON.parse(readFileSync(join(from, 'vocab.json'), 'utf8')) as string[];
  if (o.shuffle) {
    // Fisher–Yates with a seeded generator; index 0 (padding/unknown) keeps its place.
    const rand = mulberry32(o.seed ?? 1);
    for (let i = vocab.length - 1; i > 1; i--) {
      const j = 1 + Math.floor(rand() * i);
      [vocab[i], vocab[j]] = [vocab[j]!, vocab[i]!];
    }
  }
  const vocabText = JSON.stringify(vocab);
  writeFileSync(join(out, 'vocab.json'), vocabText);
  const meta = JSON.parse(readFileSync(join(from, 'meta.json'), 'utf8')) as Record<string, unknown> & { files?: Record<string, { bytes: number; sha256: string }> };
  meta.id = o.id;
  if (meta.files?.['vocab.json']) meta.files['vocab.json'] = { bytes: Buffer.byteLength(vocabText), sha256: createHash('sha256').update(vocabText).digest('hex') };
  meta.variantOf = { from: String(meta.builtFrom ?? from), shuffled: !!o.shuffle, seed: o.shuffle ? (o.seed ?? 1) : null };
  writeFileSync(join(out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (f: string) => {
    const i = process.argv.indexOf(f);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = arg('--out');
  if (!out) {
    process.stderr.write('--out DIR is required\n');
    process.exit(64);
  }
  const shuffle = process.argv.includes('--shuffle');
  const dir = buildModelVariant({ from: arg('--from') ?? 'models/glove-100d', out, id: arg('--id') ?? (shuffle ? 'glove-100d-shuffled@1' : 'glove-100d-copy@1'), shuffle, seed: Number(arg('--seed') ?? 1) });
  process.stdout.write(`${dir}\n`);
}
