import { z } from 'zod';
import { bool, int, url } from '../fields.js';
import { spec } from '../spec.js';
export const REMOTE_LINK = 'remote';
const DEVICES = ['cpu', 'cuda'];
// A folder name, never a path: no separators, cannot start with a dot (so no `..`).
const ENTRY = /^(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?::(?<variant>[A-Za-z0-9_-]+))?(?:@(?<device>[A-Za-z0-9]+))?$/;
// Same shape vector-store.ts accepts: the id ends up in index names and SQL literals.
const MODEL_ID = /^[a-z0-9][a-z0-9._@-]{0,62}$/i;
/**
 * Parses `EMBEDDINGS_CHAIN`. The chain is taken as written: the bundled `glove-100d` is NOT
 * appended when missing. It is the default chain and the documented last link, but an operator
 * who lists only e.g. `bge-small` may prefer keyword search over silently weaker vectors; the
 * service logs a warning at boot when the chain has no glove-100d link.
 */
export const chain = () => z.string().transform((s, ctx) => {
    const out = [];
    const seen = new Set();
    for (const raw of s.split(',').map((x) => x.trim()).filter(Boolean)) {
        const bad = (why) => ctx.addIssue({ code: 'custom', message: `entry "${raw}": ${why}` });
        if (seen.has(raw)) {
            bad('listed twice');
            continue;
        }
        seen.add(raw);
        const m = ENTRY.exec(raw);
        if (!m?.groups) {
            bad('expected name[:variant][@device], e.g. bge-small:int8@cpu (name: letters, digits, . _ -)');
            continue;
        }
        const { name, variant, device = 'cpu' } = m.groups;
        if (name === REMOTE_LINK) {
            if (variant || m.groups.device)
                bad('"remote" takes no :variant or @device (it is configured by EMBEDDINGS_REMOTE_*)');
            else
                out.push({ kind: 'remote', raw: REMOTE_LINK });
            continue;
        }
        const dev = device.toLowerCase();
        if (!DEVICES.includes(dev)) {
            bad(`device "${device}" must be one of ${DEVICES.join(', ')}`);
            continue;
        }
        out.push({ kind: 'local', raw, name, ...(variant ? { variant } : {}), device: dev });
    }
    if (!seen.size)
        ctx.addIssue({ code: 'custom', message: 'must name at least one model' });
    return out;
});
const optionalInt = (min, max, description, def) => spec({ schema: int(min, max), roles: ['api', 'worker'], default: def, description });
/** The embedding model chain (api + worker roles). */
export const EMBEDDINGS_VARS = {
    EMBEDDINGS_ENABLED: spec({
        schema: bool(),
        roles: ['api', 'worker'],
        default: 'true',
        description: 'false disables embeddings on purpose: /search uses keyword mode and readiness does not wait for a model.',
    }),
    EMBEDDINGS_MODEL_DIR: spec({
        schema: z.string().min(1),
        roles: ['api', 'worker'],
        default: 'models',
        description: 'Folder holding one sub-folder per model: the bundled glove-100d (meta.json), or a transformer export (tokenizer.json + model.onnx or onnx/model_<variant>.onnx, optional config.json, meta.json {id, pooling}).',
    }),
    EMBEDDINGS_CHAIN: spec({
        schema: chain(),
        roles: ['api', 'worker'],
        default: 'glove-100d',
        description: 'Comma list of models to try in order, each `name[:variant][@device]` (device cpu|cuda, default cpu; variant picks model_<variant>.onnx), or `remote` (EMBEDDINGS_REMOTE_*). @cuda links are tried only when a GPU is detected. The first local model that loads is active; a remote link is used while its budgets and breaker allow, else the next link serves. Keep glove-100d last: it always loads offline.',
    }),
    EMBED_BATCH_SIZE: spec({ schema: int(1, 4096), roles: ['worker'], default: '128', description: 'Events embedded per model run.' }),
    EMBED_CONCURRENCY: spec({ schema: int(1, 64), roles: ['worker'], default: '1', description: 'Embedding jobs run at once per worker.' }),
    EMBED_SWEEP_MS: spec({
        schema: int(100, 3_600_000),
        roles: ['worker'],
        default: '30000',
        description: 'How often the worker sweeps for events without a vector from the active model (lost jobs, backfill after a model change).',
    }),
    EMBED_THREADS: spec({
        schema: int(1, 64),
        roles: ['api', 'worker'],
        default: '1',
        description: 'onnxruntime intra-op threads per model session.',
    }),
    EMBEDDINGS_REMOTE_URL: spec({
        schema: url(['http', 'https']),
        roles: ['api', 'worker'],
        description: 'OpenAI-compatible embeddings server for the `remote` chain link (TEI, Ollama, OpenAI): a base URL (`http://tei:8080`), a `/v1` base, or the full `/v1/embeddings` URL.',
    }),
    EMBEDDINGS_REMOTE_API_KEY: spec({
        schema: z.string().min(1),
        roles: ['api', 'worker'],
        secret: true,
        description: 'Sent as `Authorization: Bearer <key>` to EMBEDDINGS_REMOTE_URL.',
    }),
    EMBEDDINGS_REMOTE_MODEL: spec({
        schema: z.string().trim().min(1),
        roles: ['api', 'worker'],
        description: 'The `model` field of remote requests (e.g. text-embedding-3-small, nomic-embed-text). TEI ignores it.',
    }),
    EMBEDDINGS_REMOTE_ID: spec({
        schema: z.string().trim().regex(MODEL_ID, 'must be 1-63 letters, digits, . _ @ - (starting with a letter or digit)'),
        roles: ['api', 'worker'],
        description: 'Model id stored with remote vectors (default `remote-<model>`). Give it the id of a local link serving the same model to share vectors with it; bump it when the remote model changes.',
    }),
    EMBEDDINGS_REMOTE_DIMS: spec({
        schema: int(1, 16_000),
        roles: ['api', 'worker'],
        description: 'Expected vector width of the remote model; a server answering with another width fails the link. Unset: learnt from the first answer.',
    }),
    EMBEDDINGS_REMOTE_BATCH_SIZE: optionalInt(1, 2048, 'Texts per remote request; bigger calls are split (TEI accepts 32 by default).', '32'),
    EMBEDDINGS_REMOTE_TIMEOUT_MS: optionalInt(100, 600_000, 'A remote request that takes longer is aborted and counts as a failure.', '10000'),
    EMBEDDINGS_REMOTE_SLOW_MS: optionalInt(0, 600_000, 'A remote request that succeeds but takes longer than this counts as a failure towards the breaker (0: off).', '0'),
    EMBEDDINGS_REMOTE_FAILURE_THRESHOLD: optionalInt(1, 1000, 'Consecutive remote failures that open the breaker (the next links serve meanwhile).', '5'),
    EMBEDDINGS_REMOTE_OPEN_MS: optionalInt(100, 86_400_000, 'How long an open breaker skips the remote link before one half-open probe request may try it again.', '30000'),
    EMBEDDINGS_REMOTE_REQUESTS_PER_MIN: optionalInt(0, 10_000_000, 'Remote requests allowed per clock minute, per process (0: no limit). When spent, the next links serve until the minute ends.', '0'),
    EMBEDDINGS_REMOTE_TOKENS_PER_MIN: optionalInt(0, 1_000_000_000, 'Remote input tokens allowed per clock minute, per process (0: no limit).', '0'),
    EMBEDDINGS_REMOTE_REQUESTS_PER_DAY: optionalInt(0, 1_000_000_000, 'Remote requests allowed per UTC day, per process (0: no limit).', '0'),
    EMBEDDINGS_REMOTE_TOKENS_PER_DAY: optionalInt(0, 1_000_000_000_000, 'Remote input tokens allowed per UTC day, per process. The default caps spend on a paid API; set 0 for a self-hosted server.', '1000000'),
};
//# sourceMappingURL=embeddings.js.map