/**
 * bench:embed's model profiles: each loads its model through the product's EmbeddingsService
 * (the real loaders, as the worker does) and opens a bare onnxruntime session on the same file
 * with the provider's options, plus the exact tensors the provider feeds the model for a chunk
 * (built with the provider's own code), so the raw path runs the very same model calls.
 *
 * - glove: the bundled models/glove-100d (SIF-averaged word vectors: an embedding bag, µs per text).
 * - minilm: a MiniLM-L6-shaped BERT (6 layers, hidden 384, 12 heads, ffn 1536, 128 positions,
 *   WordPiece vocabulary of ~30k built from the GloVe word list; random weights from a fixed
 *   seed) written once into bench/out/models/ by the tiny-BERT builder of the tests and loaded
 *   by the real TransformerProvider: the compute per token is that of all-MiniLM-L6-v2.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GloveTokenizer } from '../../src/embeddings/providers/glove-tokenizer.js';
import { gloveFeeds } from '../../src/embeddings/providers/glove.provider.js';
import { findModelFile } from '../../src/embeddings/providers/transformer.provider.js';
import { MINILM_L6_SHAPE, wordPieceVocab, writeMiniLmShaped } from '../../test/support/tiny-bert.js';
import { benchConfig, log, startEmbeddings } from './search-fixture.js';
const sessionOptions = (cfg) => ({
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(cfg.EMBED_THREADS ? { intraOpNumThreads: cfg.EMBED_THREADS } : {}),
});
/** The bundled GloVe model, as the default chain loads it. */
export async function gloveProfile() {
    const cfg = benchConfig();
    const head = cfg.EMBEDDINGS_CHAIN[0];
    if (!head || head.kind !== 'local')
        throw new Error('bench:embed wants a local first link in EMBEDDINGS_CHAIN (default glove-100d)');
    const dir = resolve(cfg.EMBEDDINGS_MODEL_DIR, head.name);
    const { service, model } = await startEmbeddings(cfg);
    // loadGloveProvider splits every embed() call into runs of its batch size (EMBED_BATCH_SIZE via defaultModelLoaders, else 128).
    const providerBatch = Number(model.batchSize ?? 128);
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), sessionOptions(cfg));
    const tok = await GloveTokenizer.fromModelDir(dir);
    return {
        name: 'glove',
        label: `${model.id} (bundled SIF word-vector bag, ${model.dims} dims)`,
        cfg,
        service,
        model,
        providerBatch,
        session,
        modelCalls: (chunk) => {
            const out = [];
            for (let i = 0; i < chunk.length; i += providerBatch)
                out.push(gloveFeeds(tok, chunk.slice(i, i + providerBatch)));
            return out;
        },
        close: async () => {
            await session.release();
            await service.onApplicationShutdown();
        },
    };
}
export const MINILM_DIR_NAME = 'minilm-l6-shaped';
const MINILM_SEED = 7;
/** Builds the MiniLM-shaped folder under `root` unless an identical build is there (a stamp file says what was built). */
export function ensureMiniLmShaped(root, gloveDir) {
    const dir = join(root, MINILM_DIR_NAME);
    const words = readFileSync(join(gloveDir, 'vocab.json'), 'utf8');
    const stamp = JSON.stringify({ shape: MINILM_L6_SHAPE, seed: MINILM_SEED, gloveVocabChars: words.length, builder: 1 });
    const stampPath = join(dir, 'bench-stamp.json');
    if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp)
        return dir;
    log(`building the MiniLM-shaped model into ${dir} (once; cached)`);
    rmSync(dir, { recursive: true, force: true });
    const vocab = wordPieceVocab(JSON.parse(words));
    writeMiniLmShaped(dir, vocab, { seed: MINILM_SEED, id: 'minilm-l6-shaped@bench' });
    writeFileSync(stampPath, stamp);
    return dir;
}
/** The MiniLM-shaped BERT through the product's chain (`EMBEDDINGS_CHAIN=minilm-l6-shaped`) and the real TransformerProvider. */
export async function miniLmProfile(modelRoot) {
    const gloveCfg = benchConfig();
    ensureMiniLmShaped(modelRoot, resolve(gloveCfg.EMBEDDINGS_MODEL_DIR, 'glove-100d'));
    const cfg = benchConfig({ EMBEDDINGS_MODEL_DIR: modelRoot, EMBEDDINGS_CHAIN: MINILM_DIR_NAME });
    const { service, model } = await startEmbeddings(cfg);
    const calls = model.modelCalls;
    if (typeof calls !== 'function')
        throw new Error(`${model.id}: not a TransformerProvider (no modelCalls)`);
    const providerBatch = Number(model.batchSize);
    const session = await ort.InferenceSession.create(await findModelFile(join(modelRoot, MINILM_DIR_NAME)), sessionOptions(cfg));
    return {
        name: 'minilm',
        label: `${model.id} (MiniLM-L6-shaped BERT: ${MINILM_L6_SHAPE.layers} layers, hidden ${MINILM_L6_SHAPE.hidden}, ${MINILM_L6_SHAPE.heads} heads, ffn ${MINILM_L6_SHAPE.ffn}, ${MINILM_L6_SHAPE.maxPositions} positions, ~30k WordPiece vocab, random weights)`,
        cfg,
        service,
        model,
        providerBatch,
        session,
        fetches: ['last_hidden_state'],
        modelCalls: (chunk) => calls.call(model, chunk),
        close: async () => {
            await session.release();
            await service.onApplicationShutdown();
        },
    };
}
//# sourceMappingURL=embed-profiles.js.map