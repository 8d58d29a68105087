import { Tokenizer } from '@huggingface/tokenizers';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { assertModelId } from '../embeddings.repository.js';
import { readJson, l2normalise } from './model-files.js';
const DEFAULT_MAX_SEQ_LEN = 256;
const DEFAULT_BATCH = 32;
// Token outputs pooled here, or a sentence output some exports pool themselves, by preference.
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];
const POOLED_OUTPUTS = ['sentence_embedding'];
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
// Bounds tokenizer work on pathological inputs; far above any real text's characters per token.
const MAX_CHARS_PER_TOKEN = 32;
/**
 * Loads a Hugging Face style transformer export (tokenizer.json + ONNX graph) and proves it end
 * to end: files, graph signature, a real run, and the output width against what the folder
 * declares. Anything wrong throws one message naming the file, so the chain can log it and move on.
 */
export async function loadTransformerProvider(modelDir, opts = {}) {
    const dirStat = await stat(modelDir).catch(() => null);
    if (!dirStat?.isDirectory())
        throw new Error(`${modelDir}: model folder not found`);
    const device = opts.device ?? 'cpu';
    const meta = ((await readJsonIfPresent(join(modelDir, 'meta.json'))) ?? {});
    const config = ((await readJsonIfPresent(join(modelDir, 'config.json'))) ?? {});
    const tokenizerPath = join(modelDir, 'tokenizer.json');
    const tokenizerJson = await readJson(tokenizerPath, 'tokenizer');
    const tokenizerConfig = ((await readJsonIfPresent(join(modelDir, 'tokenizer_config.json'))) ?? {});
    let tokenizer;
    try {
        tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    }
    catch (err) {
        throw new Error(`${tokenizerPath}: not a usable tokenizer (${err.message})`);
    }
    const pooling = meta.pooling ?? (await poolingFromSentenceTransformers(modelDir)) ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls')
        throw new Error(`${join(modelDir, 'meta.json')}: pooling must be mean or cls (got ${String(pooling)})`);
    const maxSeqLen = Math.min(opts.maxSeqLen ?? meta.maxSeqLen ?? DEFAULT_MAX_SEQ_LEN, positiveOr(tokenizerConfig.model_max_length, Infinity), positiveOr(config.max_position_embeddings, Infinity));
    const id = meta.id ?? `${basename(modelDir)}@${await fingerprint(modelDir)}`;
    try {
        assertModelId(id);
    }
    catch {
        throw new Error(`${modelDir}: model id "${id}" is not usable (1-63 of letters, digits, . _ @ -); set "id" in meta.json`);
    }
    const modelPath = await findModelFile(modelDir, opts.variant);
    const session = await openSession(modelPath, device, opts.intraOpThreads);
    try {
        const signature = readSignature(session, modelPath);
        const encoder = new Encoder(tokenizer, maxSeqLen);
        const runner = new Runner(session, signature, encoder, pooling, modelPath);
        // Shape metadata is often symbolic; one real run proves the graph and its width.
        const [probe] = await runner.run(['The quick brown fox jumps over the lazy dog.']);
        const declared = meta.dims ?? config.hidden_size;
        if (declared !== undefined && probe.length !== declared) {
            throw new Error(`${modelPath}: output "${signature.output}" has ${probe.length} dims but ${meta.dims !== undefined ? 'meta.json dims' : 'config.json hidden_size'} says ${declared}`);
        }
        if (!probe.every(Number.isFinite))
            throw new Error(`${modelPath}: the model produced non-finite values`);
        return new TransformerProvider(id, probe.length, device, runner, session, opts.batchSize ?? DEFAULT_BATCH);
    }
    catch (err) {
        await session.release().catch(() => undefined);
        throw err;
    }
}
/** The ONNX file for `variant`, in the flat layout or the HF `onnx/` export layout. */
export async function findModelFile(modelDir, variant) {
    const file = variant ? `model_${variant}.onnx` : 'model.onnx';
    const candidates = [join(modelDir, file), join(modelDir, 'onnx', file)];
    for (const path of candidates)
        if ((await stat(path).catch(() => null))?.isFile())
            return path;
    throw new Error(`${modelDir}: no ${file} (looked for ${candidates.join(', ')})`);
}
async function openSession(modelPath, device, intraOpThreads) {
    try {
        return await ort.InferenceSession.create(modelPath, {
            // Only the asked-for provider: a CUDA link must fail here, not quietly run on the CPU.
            executionProviders: [device === 'cuda' ? { name: 'cuda', deviceId: 0 } : 'cpu'],
            graphOptimizationLevel: 'all',
            ...(intraOpThreads ? { intraOpNumThreads: intraOpThreads } : {}),
        });
    }
    catch (err) {
        const what = device === 'cuda' ? 'could not create a CUDA session' : 'onnxruntime could not load the model (corrupt or incompatible file)';
        throw new Error(`${modelPath}: ${what}: ${firstLine(err.message)}`);
    }
}
function readSignature(session, modelPath) {
    const has = (name) => session.inputNames.includes(name);
    const missing = ['input_ids', 'attention_mask'].filter((n) => !has(n));
    if (missing.length)
        throw new Error(`${modelPath}: model lacks input(s) ${missing.join(', ')} (has ${session.inputNames.join(', ')})`);
    const unknown = session.inputNames.filter((n) => !KNOWN_INPUTS.includes(n));
    if (unknown.length)
        throw new Error(`${modelPath}: model needs input(s) ${unknown.join(', ')} that a text encoder does not provide`);
    const idMeta = session.inputMetadata[session.inputNames.indexOf('input_ids')];
    const idType = idMeta?.isTensor ? idMeta.type : 'int64';
    if (idType !== 'int64' && idType !== 'int32')
        throw new Error(`${modelPath}: input_ids is ${idType}, expected int64 or int32`);
    const tokenOut = TOKEN_OUTPUTS.find((n) => session.outputNames.includes(n));
    const output = tokenOut ?? POOLED_OUTPUTS.find((n) => session.outputNames.includes(n));
    if (!output) {
        throw new Error(`${modelPath}: model has no ${[...TOKEN_OUTPUTS, ...POOLED_OUTPUTS].join(' / ')} output (has ${session.outputNames.join(', ')})`);
    }
    const outMeta = session.outputMetadata[session.outputNames.indexOf(output)];
    if (outMeta?.isTensor) {
        if (outMeta.type !== 'float32' && outMeta.type !== 'float16')
            throw new Error(`${modelPath}: output "${output}" is ${outMeta.type}, expected float32 or float16`);
        const rank = tokenOut ? 3 : 2;
        if (outMeta.shape.length && outMeta.shape.length !== rank) {
            throw new Error(`${modelPath}: output "${output}" has rank ${outMeta.shape.length}, expected ${rank} (${tokenOut ? '[batch, seq, dims]' : '[batch, dims]'})`);
        }
    }
    return { output, pooled: !tokenOut, idType, tokenTypeIds: has('token_type_ids') };
}
/** Text → token ids, with the model's special tokens, cut to `maxLen` keeping the closing special token. */
class Encoder {
    tokenizer;
    maxLen;
    fallbackId;
    specialIds;
    constructor(tokenizer, maxLen) {
        this.tokenizer = tokenizer;
        this.maxLen = maxLen;
        const unk = ['[UNK]', '<unk>'].map((t) => tokenizer.token_to_id(t)).find((x) => x !== undefined);
        this.fallbackId = unk ?? 0;
        this.specialIds = new Set([...tokenizer.get_added_tokens_decoder()].filter(([, t]) => t.special).map(([id]) => id));
    }
    encode(text) {
        const ids = this.tokenizer.encode(text.slice(0, this.maxLen * MAX_CHARS_PER_TOKEN)).ids;
        // A tokenizer without special tokens gives nothing for "": one unknown token keeps the maths defined.
        if (!ids.length)
            return [this.fallbackId];
        if (ids.length <= this.maxLen)
            return ids;
        const last = ids[ids.length - 1];
        return this.specialIds.has(last) ? [...ids.slice(0, this.maxLen - 1), last] : ids.slice(0, this.maxLen);
    }
}
/** One padded batch through the session, pooled and L2-normalised. */
class Runner {
    session;
    sig;
    encoder;
    pooling;
    modelPath;
    constructor(session, sig, encoder, pooling, modelPath) {
        this.session = session;
        this.sig = sig;
        this.encoder = encoder;
        this.pooling = pooling;
        this.modelPath = modelPath;
    }
    async run(texts) {
        return this.runEncoded(texts.map((t) => this.encoder.encode(t)));
    }
    /** The model's inputs for one padded batch of encoded rows. */
    feeds(rows) {
        const batch = rows.length;
        const seq = Math.max(...rows.map((r) => r.length));
        const dims = [batch, seq];
        let ids;
        let mask;
        if (this.sig.idType === 'int64') {
            ids = paddedInt64(rows, seq);
            mask = paddedInt64(rows, seq, 1);
        }
        else {
            const ids32 = (ids = new Int32Array(batch * seq));
            const mask32 = (mask = new Int32Array(batch * seq));
            rows.forEach((row, b) => {
                ids32.set(row, b * seq);
                mask32.fill(1, b * seq, b * seq + row.length);
            });
        }
        const feeds = {
            input_ids: new ort.Tensor(this.sig.idType, ids, dims),
            attention_mask: new ort.Tensor(this.sig.idType, mask, dims),
        };
        // Single-segment input: every token is segment 0.
        if (this.sig.tokenTypeIds) {
            feeds.token_type_ids = new ort.Tensor(this.sig.idType, this.sig.idType === 'int64' ? new BigInt64Array(batch * seq) : new Int32Array(batch * seq), dims);
        }
        return feeds;
    }
    async runEncoded(rows) {
        const batch = rows.length;
        const feeds = this.feeds(rows);
        const seq = feeds.input_ids.dims[1];
        const result = await this.session.run(feeds, [this.sig.output]);
        const out = result[this.sig.output];
        const data = toFloat32(out);
        const rank = this.sig.pooled ? 2 : 3;
        if (out.dims.length !== rank || out.dims[0] !== batch || (rank === 3 && out.dims[1] !== seq)) {
            throw new Error(`${this.modelPath}: output "${this.sig.output}" is [${out.dims.join(', ')}], expected [${batch}${rank === 3 ? `, ${seq}` : ''}, dims]`);
        }
        const width = out.dims[rank - 1];
        return rows.map((row, b) => {
            const v = new Float32Array(width);
            if (this.sig.pooled)
                v.set(data.subarray(b * width, (b + 1) * width));
            else if (this.pooling === 'cls')
                v.set(data.subarray(b * seq * width, b * seq * width + width));
            else {
                // Mean over the real tokens only; padding positions carry hidden states too.
                for (let t = 0; t < row.length; t++) {
                    const at = (b * seq + t) * width;
                    for (let d = 0; d < width; d++)
                        v[d] += data[at + d];
                }
                for (let d = 0; d < width; d++)
                    v[d] /= row.length;
            }
            return l2normalise(v);
        });
    }
}
class TransformerProvider {
    id;
    dims;
    device;
    runner;
    session;
    batchSize;
    disposed = false;
    constructor(id, dims, device, runner, session, batchSize) {
        this.id = id;
        this.dims = dims;
        this.device = device;
        this.runner = runner;
        this.session = session;
        this.batchSize = batchSize;
    }
    async embed(texts) {
        if (this.disposed)
            throw new Error(`${this.id}: embed() called after dispose()`);
        if (!texts.length)
            return [];
        const out = new Array(texts.length);
        for (const run of this.plan(texts)) {
            const vectors = await this.runner.runEncoded(run.map((c) => c.ids));
            run.forEach((c, j) => (out[c.i] = vectors[j]));
        }
        return out;
    }
    /** The model runs embed(texts) makes: encoded texts (with their index), batchSize at a time. */
    plan(texts) {
        const encoded = texts.map((t, i) => ({ i, ids: this.runner.encoder.encode(t) }));
        // Similar lengths share a batch, so short texts are not padded to the longest one.
        encoded.sort((a, b) => a.ids.length - b.ids.length);
        const runs = [];
        for (let s = 0; s < encoded.length; s += this.batchSize)
            runs.push(encoded.slice(s, s + this.batchSize));
        return runs;
    }
    /** The exact tensors embed(texts) feeds the session, run by run (for benchmarks against the bare session). */
    modelCalls(texts) {
        return this.plan(texts).map((run) => this.runner.feeds(run.map((c) => c.ids)));
    }
    async dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        await this.session.release();
    }
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/**
 * Rows of non-negative token ids (or `mask` for each real token), right-padded with 0 to `seq`,
 * as an int64 tensor's data. On little-endian hosts the values go into the low 32 bits of each
 * zeroed slot: no BigInt per id.
 */
export function paddedInt64(rows, seq, mask) {
    const out = new BigInt64Array(rows.length * seq);
    if (LITTLE_ENDIAN) {
        const words = new Int32Array(out.buffer);
        rows.forEach((row, b) => {
            for (let t = 0, o = 2 * b * seq; t < row.length; t++, o += 2)
                words[o] = mask ?? row[t];
        });
    }
    else {
        rows.forEach((row, b) => row.forEach((id, t) => (out[b * seq + t] = BigInt(mask ?? id))));
    }
    return out;
}
/** Float32 view of a float32 or float16 tensor (fp16 exports return halves as raw uint16). */
function toFloat32(t) {
    if (t.type === 'float32')
        return t.data;
    if (t.type !== 'float16')
        throw new Error(`unexpected output type ${t.type}`);
    const raw = t.data;
    if (!(raw instanceof Uint16Array))
        return Float32Array.from(raw); // a runtime with Float16Array
    const out = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++)
        out[i] = halfToFloat(raw[i]);
    return out;
}
/** IEEE 754 binary16 bits → number. */
export function halfToFloat(h) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0)
        return sign * 2 ** -14 * (frac / 1024);
    if (exp === 0x1f)
        return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
/** sentence-transformers exports say their pooling in 1_Pooling/config.json. */
async function poolingFromSentenceTransformers(modelDir) {
    const path = join(modelDir, '1_Pooling', 'config.json');
    const cfg = (await readJsonIfPresent(path));
    if (!cfg)
        return undefined;
    if (cfg.pooling_mode_cls_token)
        return 'cls';
    if (cfg.pooling_mode_mean_tokens)
        return 'mean';
    const mode = Object.keys(cfg).find((k) => k.startsWith('pooling_mode_') && cfg[k]);
    throw new Error(`${path}: pooling ${mode ?? '(none)'} is not supported (mean or cls)`);
}
/**
 * Default id suffix: hashes what defines the model's vectors apart from numeric precision, so
 * the fp16/int8/fp32 variants of one model share an id (their vectors are close enough to
 * compare, and a CPU api can then query what a GPU worker wrote). Weights swapped in place need
 * a meta.json id.
 */
async function fingerprint(modelDir) {
    const hash = createHash('sha256');
    for (const file of ['config.json', 'tokenizer.json']) {
        const bytes = await readFile(join(modelDir, file)).catch(() => null);
        hash.update(`${file}:${bytes ? bytes.length : -1}:`);
        if (bytes)
            hash.update(bytes);
    }
    return hash.digest('hex').slice(0, 8);
}
async function readJsonIfPresent(path) {
    if (!(await stat(path).catch(() => null))?.isFile())
        return undefined;
    return readJson(path, basename(path));
}
const positiveOr = (v, fallback) => (typeof v === 'number' && v > 0 ? v : fallback);
const firstLine = (s) => s.split('\n')[0].trim();
//# sourceMappingURL=transformer.provider.js.map