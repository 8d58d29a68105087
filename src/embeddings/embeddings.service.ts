import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SiftConfig } from '../../libs/config/index.js';
import { metrics } from '../../libs/observability/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { loadGloveProvider } from './providers/glove.provider.js';
import type { EmbeddingProvider } from './providers/provider.js';

export type EmbeddingsStatus =
  | { state: 'loading' }
  | { state: 'ready'; model: string; dims: number; device: string }
  | { state: 'disabled'; reason: string; failures: { model: string; error: string }[] };

/** How a model folder is loaded, by the `kind` in its meta.json. */
export type ModelLoader = (dir: string, cfg: SiftConfig) => Promise<EmbeddingProvider>;
export const MODEL_LOADERS = Symbol('MODEL_LOADERS');
export const defaultModelLoaders: Record<string, ModelLoader> = {
  glove: (dir, cfg) => loadGloveProvider(dir, { intraOpThreads: cfg.EMBED_THREADS }),
};

/**
 * Walks the configured chain and keeps the first model that loads. A model that fails is logged
 * with its reason and the next is tried; if none loads, embeddings are disabled (loudly, once)
 * and the rest of Sift keeps running.
 */
@Injectable()
export class EmbeddingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Embeddings');
  private provider?: EmbeddingProvider;
  status: EmbeddingsStatus = { state: 'loading' };
  private resolveSettled!: () => void;
  /** Resolves once the chain has settled (a model is active or embeddings are disabled). */
  readonly settled: Promise<void> = new Promise((r) => (this.resolveSettled = r));

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(MODEL_LOADERS) private readonly loaders: Record<string, ModelLoader>,
  ) {}

  onApplicationBootstrap() {
    void this.loadChain();
  }

  // After job workers have finished (they close in beforeApplicationShutdown).
  async onApplicationShutdown() {
    await this.provider?.dispose();
  }

  /** The active provider, or undefined when embeddings are disabled or still loading. */
  get active(): EmbeddingProvider | undefined {
    return this.provider;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!this.provider) throw new Error(`embeddings unavailable (${this.status.state})`);
    const end = metrics.embedSeconds.startTimer({ model: this.provider.id });
    try {
      return await this.provider.embed(texts);
    } finally {
      end();
      metrics.embedBatchSize.observe(texts.length);
    }
  }

  private async loadChain() {
    if (!this.cfg.EMBEDDINGS_ENABLED) {
      this.disable('EMBEDDINGS_ENABLED=false', []);
      return;
    }
    const failures: { model: string; error: string }[] = [];
    for (const name of this.cfg.EMBEDDINGS_CHAIN) {
      const dir = resolve(this.cfg.EMBEDDINGS_MODEL_DIR, name);
      try {
        const provider = await this.loadOne(dir);
        this.provider = provider;
        this.status = { state: 'ready', model: provider.id, dims: provider.dims, device: provider.device };
        metrics.embeddingsActive.set({ model: provider.id, device: provider.device }, 1);
        metrics.embeddingsDisabled.set(0);
        this.log.log({ msg: 'embedding model active', model: provider.id, dims: provider.dims, device: provider.device, skipped: failures });
        this.resolveSettled();
        return;
      } catch (err) {
        const error = (err as Error).message;
        failures.push({ model: name, error });
        this.log.warn({ msg: 'embedding model failed to load, trying the next', model: name, dir, error });
      }
    }
    this.disable('every model in EMBEDDINGS_CHAIN failed to load', failures);
  }

  private async loadOne(dir: string): Promise<EmbeddingProvider> {
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath)) throw new Error(`${metaPath} not found (run \`npm run build:model\` for the bundled model)`);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { kind?: string };
    const kind = meta.kind ?? 'glove';
    const loader = this.loaders[kind];
    if (!loader) throw new Error(`${metaPath}: unknown model kind "${kind}" (known: ${Object.keys(this.loaders).join(', ')})`);
    return loader(dir, this.cfg);
  }

  private disable(reason: string, failures: { model: string; error: string }[]) {
    this.status = { state: 'disabled', reason, failures };
    metrics.embeddingsDisabled.set(1);
    // One loud line: operators must notice, but it must not repeat per event.
    this.log.error({ msg: 'EMBEDDINGS DISABLED: semantic search falls back to keyword search', reason, failures });
    this.resolveSettled();
  }
}
