/**
 * A tiny BERT-shaped model for tests: embeddings (word + position + segment) → LayerNorm → one
 * encoder layer (2-head self-attention with the padding mask, GELU feed-forward, residuals and
 * LayerNorms) → last_hidden_state [batch, seq, hidden]. Weights are deterministic pseudo-random
 * numbers, so the vectors mean nothing, but the graph has the inputs, outputs, masking and
 * shapes of a real export, and the folder has the files a real Hugging Face export has.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { mulberry32 } from '../../libs/common/random.js';
const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;
export const TINY_HIDDEN = 32;
export const TINY_MAX_POSITIONS = 64;
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = [
    'the', 'a', 'to', 'of', 'and', 'is', 'in', 'on', 'for', 'it', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'cat',
    'bitcoin', 'price', 'market', 'rally', 'crash', 'rain', 'weather', 'today', 'news', 'hello', 'world', 'model', 'vector',
];
const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const PUNCT = [...'.,!?#@$\'"-:;()'];
/** Token strings, index = id. Every ASCII word is spellable from the single characters. */
export const TINY_VOCAB = [...SPECIAL_TOKENS, ...WORDS, ...CHARS, ...CHARS.map((c) => `##${c}`), ...PUNCT, '##s', '##ing', '##ed'];
const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const f32 = (name, dims, data) => ({ name, dims, dataType: DataType.FLOAT, rawData: bytes(data) });
const i64 = (name, dims, values) => ({
    name,
    dims,
    dataType: DataType.INT64,
    rawData: bytes(BigInt64Array.from(values, BigInt)),
});
const scalar = (name, v) => f32(name, [], new Float32Array([v]));
const node = (opType, input, output, attribute = []) => ({
    opType,
    input,
    output,
    name: output[0],
    attribute,
});
const int = (name, i) => ({ name, type: AttributeType.INT, i });
const ints = (name, v) => ({ name, type: AttributeType.INTS, ints: v });
const float = (name, f) => ({ name, type: AttributeType.FLOAT, f });
const io = (name, elemType, shape) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
/** The ONNX bytes of a tiny BERT encoder (opset 17). */
export function buildTinyBertOnnx(opts = {}) {
    const H = opts.hidden ?? TINY_HIDDEN;
    const heads = opts.heads ?? 2;
    const F = opts.ffn ?? H * 2;
    const V = (opts.vocab ?? TINY_VOCAB).length;
    const P = opts.maxPositions ?? TINY_MAX_POSITIONS;
    const L = opts.layers ?? 1;
    const rand = mulberry32(opts.seed ?? 42);
    const weights = (n, scale) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
    const ones = (n) => new Float32Array(n).fill(1);
    const zeros = (n) => new Float32Array(n);
    const w = 1 / Math.sqrt(H);
    const out = opts.outputName ?? 'last_hidden_state';
    const last = opts.fp16Output ? 'hidden_fp32' : out;
    const layerWeights = (p) => [
        ...['q', 'k', 'v', 'o'].flatMap((m) => [f32(`${p}W${m}`, [H, H], weights(H * H, w)), f32(`${p}b${m}`, [H], weights(H, 0.1))]),
        f32(`${p}ln1_g`, [H], ones(H)),
        f32(`${p}ln1_b`, [H], zeros(H)),
        f32(`${p}W1`, [H, F], weights(H * F, w)),
        f32(`${p}b1`, [F], weights(F, 0.1)),
        f32(`${p}W2`, [F, H], weights(F * H, 1 / Math.sqrt(F))),
        f32(`${p}b2`, [H], weights(H, 0.1)),
        f32(`${p}ln2_g`, [H], ones(H)),
        f32(`${p}ln2_b`, [H], zeros(H)),
    ];
    const initializer = [
        f32('word_emb', [V, H], weights(V * H, 1)),
        f32('pos_emb', [P, H], weights(P * H, 0.2)),
        f32('type_emb', [2, H], weights(2 * H, 0.2)),
        f32('emb_ln_g', [H], ones(H)),
        f32('emb_ln_b', [H], zeros(H)),
        ...Array.from({ length: L }, (_, l) => layerWeights(`l${l}_`)).flat(),
        i64('zero', [], [0]),
        i64('one', [], [1]),
        i64('split_heads', [4], [0, 0, heads, H / heads]), // 0 = copy the input dim (batch, seq)
        i64('merge_heads', [3], [0, 0, H]),
        i64('axes_1_2', [2], [1, 2]),
        scalar('attn_scale', 1 / Math.sqrt(H / heads)),
        scalar('one_f', 1),
        scalar('mask_fill', -10000),
        scalar('half', 0.5),
        scalar('sqrt2', Math.SQRT2),
    ];
    const layerNorm = (x, g, b, y) => node('LayerNormalization', [x, g, b], [y], [int('axis', -1), float('epsilon', 1e-12)]);
    const dense = (x, W, b, y) => [node('MatMul', [x, W], [`${y}_mm`]), node('Add', [`${y}_mm`, b], [y])];
    /** One encoder layer: `x` → `y`, every name (weights and values) prefixed with `p`. */
    const encoderLayer = (p, x, y) => {
        const n = (s) => `${p}${s}`;
        return [
            // Self-attention, heads split as [batch, heads, seq, head_dim].
            ...dense(x, n('Wq'), n('bq'), n('q')),
            ...dense(x, n('Wk'), n('bk'), n('k')),
            ...dense(x, n('Wv'), n('bv'), n('v')),
            node('Reshape', [n('q'), 'split_heads'], [n('q4')]),
            node('Transpose', [n('q4')], [n('qh')], [ints('perm', [0, 2, 1, 3])]),
            node('Reshape', [n('k'), 'split_heads'], [n('k4')]),
            node('Transpose', [n('k4')], [n('kt')], [ints('perm', [0, 2, 3, 1])]),
            node('Reshape', [n('v'), 'split_heads'], [n('v4')]),
            node('Transpose', [n('v4')], [n('vh')], [ints('perm', [0, 2, 1, 3])]),
            node('MatMul', [n('qh'), n('kt')], [n('scores_raw')]),
            node('Mul', [n('scores_raw'), 'attn_scale'], [n('scores')]),
            node('Add', [n('scores'), 'mask_bias'], [n('scores_masked')]),
            node('Softmax', [n('scores_masked')], [n('probs')], [int('axis', -1)]),
            node('MatMul', [n('probs'), n('vh')], [n('ctx_h')]),
            node('Transpose', [n('ctx_h')], [n('ctx_t')], [ints('perm', [0, 2, 1, 3])]),
            node('Reshape', [n('ctx_t'), 'merge_heads'], [n('ctx')]),
            ...dense(n('ctx'), n('Wo'), n('bo'), n('attn_out')),
            node('Add', [n('attn_out'), x], [n('res1')]),
            layerNorm(n('res1'), n('ln1_g'), n('ln1_b'), n('x1')),
            // Feed-forward with exact GELU: 0.5·x·(1 + erf(x/√2)).
            ...dense(n('x1'), n('W1'), n('b1'), n('f1')),
            node('Div', [n('f1'), 'sqrt2'], [n('f1_s')]),
            node('Erf', [n('f1_s')], [n('f1_erf')]),
            node('Add', [n('f1_erf'), 'one_f'], [n('f1_erf1')]),
            node('Mul', [n('f1'), n('f1_erf1')], [n('f1_g')]),
            node('Mul', [n('f1_g'), 'half'], [n('gelu')]),
            ...dense(n('gelu'), n('W2'), n('b2'), n('f2')),
            node('Add', [n('f2'), n('x1')], [n('res2')]),
            layerNorm(n('res2'), n('ln2_g'), n('ln2_b'), y),
        ];
    };
    const nodes = [
        // Embeddings: word + position (0..seq-1) + segment.
        node('Gather', ['word_emb', 'input_ids'], ['e_word'], [int('axis', 0)]),
        node('Shape', ['input_ids'], ['ids_shape']),
        node('Gather', ['ids_shape', 'one'], ['seq_len'], [int('axis', 0)]),
        node('Range', ['zero', 'seq_len', 'one'], ['position_ids']),
        node('Gather', ['pos_emb', 'position_ids'], ['e_pos'], [int('axis', 0)]),
        node('Gather', ['type_emb', 'token_type_ids'], ['e_type'], [int('axis', 0)]),
        node('Add', ['e_word', 'e_pos'], ['e_sum1']),
        node('Add', ['e_sum1', 'e_type'], ['e_sum']),
        layerNorm('e_sum', 'emb_ln_g', 'emb_ln_b', 'x0'),
        // Padding mask → additive bias [batch, 1, 1, seq]: padded keys get no attention.
        node('Cast', ['attention_mask'], ['mask_f'], [int('to', DataType.FLOAT)]),
        node('Unsqueeze', ['mask_f', 'axes_1_2'], ['mask4']),
        node('Sub', ['one_f', 'mask4'], ['mask_inv']),
        node('Mul', ['mask_inv', 'mask_fill'], ['mask_bias']),
        ...Array.from({ length: L }, (_, l) => encoderLayer(`l${l}_`, l ? `l${l - 1}_x2` : 'x0', l === L - 1 ? last : `l${l}_x2`)).flat(),
        ...(opts.fp16Output ? [node('Cast', [last], [out], [int('to', DataType.FLOAT16)])] : []),
    ];
    const model = {
        irVersion: 8,
        opsetImport: [{ domain: '', version: 17 }],
        producerName: 'sift/test/tiny-bert',
        graph: {
            name: 'tiny-bert',
            node: nodes,
            initializer,
            input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => io(n, DataType.INT64, ['batch', 'seq'])),
            output: [io(out, opts.fp16Output ? DataType.FLOAT16 : DataType.FLOAT, ['batch', 'seq', H])],
        },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
/** A BERT WordPiece tokenizer.json (lower-casing, [CLS] … [SEP]) over `vocab` (default {@link TINY_VOCAB}; it must start with {@link SPECIAL_TOKENS}). */
export function tinyBertTokenizerJson(vocab = TINY_VOCAB) {
    const id = (t) => vocab.indexOf(t);
    const special = (content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    return {
        version: '1.0',
        truncation: null,
        padding: null,
        added_tokens: SPECIAL_TOKENS.map(special),
        normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        post_processor: {
            type: 'TemplateProcessing',
            single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
            pair: [
                { SpecialToken: { id: '[CLS]', type_id: 0 } },
                { Sequence: { id: 'A', type_id: 0 } },
                { SpecialToken: { id: '[SEP]', type_id: 0 } },
                { Sequence: { id: 'B', type_id: 1 } },
                { SpecialToken: { id: '[SEP]', type_id: 1 } },
            ],
            special_tokens: {
                '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
                '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
            },
        },
        decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
        model: {
            type: 'WordPiece',
            unk_token: '[UNK]',
            continuing_subword_prefix: '##',
            max_input_chars_per_word: 100,
            vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
        },
    };
}
/** Writes a complete model folder (tokenizer.json, tokenizer_config.json, config.json, ONNX files). Returns `dir`. */
export function writeTinyBert(dir, opts = {}) {
    const hidden = opts.graph?.hidden ?? TINY_HIDDEN;
    const positions = opts.graph?.maxPositions ?? TINY_MAX_POSITIONS;
    const onnxDir = opts.layout === 'onnx' ? join(dir, 'onnx') : dir;
    mkdirSync(onnxDir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyBertTokenizerJson(opts.graph?.vocab)));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: opts.modelMaxLength ?? positions, cls_token: '[CLS]', sep_token: '[SEP]' }));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
        model_type: 'bert',
        hidden_size: opts.configHidden ?? hidden,
        max_position_embeddings: positions,
        num_hidden_layers: opts.graph?.layers ?? 1,
        num_attention_heads: opts.graph?.heads ?? 2,
        intermediate_size: opts.graph?.ffn ?? hidden * 2,
    }));
    writeFileSync(join(onnxDir, 'model.onnx'), buildTinyBertOnnx(opts.graph));
    for (const [variant, graph] of Object.entries(opts.variants ?? {})) {
        writeFileSync(join(onnxDir, `model_${variant}.onnx`), buildTinyBertOnnx({ ...opts.graph, ...graph }));
    }
    if (opts.meta)
        writeFileSync(join(dir, 'meta.json'), JSON.stringify(opts.meta));
    return dir;
}
/** A folder whose tokenizer is fine but whose ONNX file is truncated garbage. */
export function writeCorruptTinyBert(dir, file = 'model.onnx') {
    writeTinyBert(dir);
    const good = buildTinyBertOnnx();
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, good.subarray(0, Math.floor(good.length / 3)));
    return dir;
}
/** A folder whose graph outputs 16 dims while config.json says 32. */
export const writeWrongDimsTinyBert = (dir) => writeTinyBert(dir, { graph: { hidden: 16 }, configHidden: TINY_HIDDEN });
// ------------------------------------------------------------------------------------------------
// MiniLM-shaped model (bench:embed's transformer profile)
/** all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads, feed-forward 1536, 128 positions (its max_seq_length). */
export const MINILM_L6_SHAPE = { layers: 6, hidden: 384, heads: 12, ffn: 1536, maxPositions: 128 };
/**
 * A WordPiece vocabulary of about `size` entries: the special tokens, every single character
 * of `words` (plain and as a `##` continuation, so any text of those characters is spellable),
 * then whole words in the order given (frequency order for a GloVe vocabulary). Words with
 * characters BertPreTokenizer splits off (punctuation) could never match and are skipped.
 */
export function wordPieceVocab(words, size = 30_522) {
    const isWord = /^[\p{L}\p{N}]+$/u;
    const chars = new Set([...'abcdefghijklmnopqrstuvwxyz0123456789']);
    const punct = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
    const whole = [];
    for (const w of words) {
        if (!isWord.test(w))
            continue;
        if (w.length === 1)
            chars.add(w);
        else
            whole.push(w);
    }
    const out = new Set([...SPECIAL_TOKENS, ...punct, ...chars, ...[...chars].map((c) => `##${c}`)]);
    for (const w of whole) {
        if (out.size >= size)
            break;
        out.add(w);
    }
    return [...out];
}
/**
 * Writes a MiniLM-L6-shaped BERT folder (random weights from `seed`; `vocab` from
 * {@link wordPieceVocab}) with a meta.json id, as an operator's sentence-transformers export
 * would be laid out. The vectors mean nothing; the compute per token is that of the real model.
 */
export function writeMiniLmShaped(dir, vocab, opts = {}) {
    return writeTinyBert(dir, {
        graph: { ...MINILM_L6_SHAPE, vocab, seed: opts.seed ?? 7 },
        meta: { kind: 'transformer', id: opts.id ?? 'minilm-l6-shaped@bench', pooling: 'mean', dims: MINILM_L6_SHAPE.hidden },
    });
}
//# sourceMappingURL=tiny-bert.js.map