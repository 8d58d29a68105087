import { z } from 'zod';
import { bool, int, list } from '../fields.js';
import { spec } from '../spec.js';

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
    description: 'Folder holding one sub-folder per model (model.onnx + tokenizer/vocab).',
  }),
  EMBEDDINGS_CHAIN: spec({
    schema: list().pipe(z.array(z.string().min(1)).min(1, 'must name at least one model')),
    roles: ['api', 'worker'],
    default: 'glove-100d',
    description: 'Comma list of model folders to try in order; the first that loads is active.',
  }),
  EMBED_BATCH_SIZE: spec({ schema: int(1, 4096), roles: ['worker'], default: '128', description: 'Events embedded per model run.' }),
  EMBED_CONCURRENCY: spec({ schema: int(1, 64), roles: ['worker'], default: '1', description: 'Embedding jobs run at once per worker.' }),
  EMBED_THREADS: spec({
    schema: int(1, 64),
    roles: ['api', 'worker'],
    default: '1',
    description: 'onnxruntime intra-op threads per model session.',
  }),
};
