import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { NewModel } from './models.repository.js';

/** Folder names only, never paths (same shape EMBEDDINGS_CHAIN accepts). */
const FOLDER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export function assertFolderName(name: string) {
  if (!FOLDER.test(name)) throw new Error(`invalid model name "${name}": a folder name under EMBEDDINGS_MODEL_DIR`);
  return name;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * sha256 over the folder's files (weights, tokenizer, vocabulary, meta): each file's relative
 * path and its own sha256, in path order, so a changed or renamed file changes the checksum.
 */
export async function folderChecksum(dir: string): Promise<string> {
  const outer = createHash('sha256');
  for (const file of (await filesUnder(dir)).sort()) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    outer.update(`${relative(dir, file)}\0${h.digest('hex')}\n`);
  }
  return outer.digest('hex');
}

/** What the registry records about a model folder, from its meta.json and files. */
/** `loaded`: the id and dims of the model as loaded, for folders whose meta.json lacks them (a transformer folder). */
export async function describeFolder(modelDir: string, name: string, loaded?: { id: string; dims: number }): Promise<NewModel> {
  const dir = resolve(modelDir, assertFolderName(name));
  let meta: { id?: unknown; dims?: unknown; kind?: unknown } = {};
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
  } catch (err) {
    if (!loaded) throw new Error(`${dir}: cannot read meta.json (${(err as Error).message}); the registry needs its id and dims`);
  }
  if (loaded) meta = { ...meta, id: loaded.id, dims: loaded.dims, kind: meta.kind ?? (existsSync(join(dir, 'tokenizer.json')) ? 'transformer' : 'glove') };
  if (typeof meta.id !== 'string' || typeof meta.dims !== 'number') throw new Error(`${dir}/meta.json: needs a string "id" and a numeric "dims"`);
  const version = meta.id.includes('@') ? meta.id.slice(meta.id.lastIndexOf('@') + 1) : '1';
  return { name, modelId: meta.id, version, dims: meta.dims, providerKind: typeof meta.kind === 'string' ? meta.kind : 'glove', checksum: await folderChecksum(dir) };
}
