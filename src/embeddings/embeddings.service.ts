import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SiftConfig } from '../../libs/config/index.js';
import type { ChainEntry } from '../../libs/config/vars/embeddings.js';
import { metrics } from '../../libs/observability/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import type { Clock } from '../../libs/resilience/breakers.js';
import { USAGE_SINK, type UsageSink } from '../../libs/contracts/usage.js';
import { chainMetrics } from './embeddings.metrics.js';
import { HARDWARE_PROBE, type Hardware, type HardwareProbe } from './hardware-probe.js';
import { loadGloveProvider } from './providers/glove.provider.js';
import type { EmbeddingProvider } from './providers/provider.js';
import { isGated, LinkUnavailableError, loadRemoteProvider, RemoteEmbeddingError } from './providers/remote.provider.js';
import { loadTransformerProvider } from './providers/transformer.provider.js';

export interface LinkFailure {
  /** The chain entry as written, e.g. `bge-small:fp16@cuda`. */
  model: string;
  error: string;
}

/** One loaded chain link, as /health and the logs show it. */
export interface LinkStatus {
  link: string;
  model: string;
  dims: number;
  device: string;
  /** False while a budget or breaker makes the chain skip it. */
  available: boolean;
  reason?: string;
  /** When a skipped link may be tried again (ISO time). */
  retryAt?: string;
}

export type EmbeddingsStatus =
  | { state: 'loading' }
  | { state: 'ready'; model: string; dims: number; device: string; links: LinkStatus[]; skipped: LinkFailure[] }
  | { state: 'disabled'; reason: string; failures: LinkFailure[] };

/** What a folder loader is given: the folder, the chain entry it came from, and the config. */
export interface ModelLoadRequest {
  dir: string;
  entry: Extract<ChainEntry, { kind: 'local' }>;
  cfg: SiftConfig;
}
/** How a model folder is loaded, by its kind (meta.json `kind`, else `transformer` when it has a tokenizer.json, else `glove`). */
export type ModelLoader = (req: ModelLoadRequest) => Promise<EmbeddingProvider>;
export const MODEL_LOADERS = Symbol('MODEL_LOADERS');
export const defaultModelLoaders: Record<string, ModelLoader> = {
  glove: async ({ dir, entry, cfg }) => {
    if (entry.device !== 'cpu') throw new Error(`${dir}: the glove model runs on cpu only (drop @${entry.device})`);
    if (entry.variant) throw new Error(`${dir}: the glove model has no variants (drop :${entry.variant})`);
    return loadGloveProvider(dir, { intraOpThreads: cfg.EMBED_THREADS, batchSize: cfg.EMBED_BATCH_SIZE });
  },
  transformer: ({ dir, entry, cfg }) => loadTransformerProvider(dir, { variant: entry.variant, device: entry.device, intraOpThreads: cfg.EMBED_THREADS }),
};

/** Time source of the remote link's budgets and breaker; tests inject a fake one. */
export const EMBEDDINGS_CLOCK = Symbol('EMBEDDINGS_CLOCK');

export class EmbeddingsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingsUnavailableError';
  }
}

const BUNDLED = 'glove-100d';

interface Link {
  entry: ChainEntry;
  provider: EmbeddingProvider;
}

/**
 * Walks the configured chain. Local links are tried in order and the first that loads ends the
 * walk: it always serves. A remote link that loads is kept *and* the walk goes on, because its
 * budgets and breaker may skip it at any moment; the next loaded link then serves. A link that
 * fails to load is logged with its reason; if none loads, embeddings are disabled (loudly, once)
 * and the rest of Sift keeps running.
 *
 * Vectors are stored under the id of the model that made them, so a caller that records the id
 * should pin it: read `active`, then `embed(texts, active.id)` (or use embedWithModel()).
 */
@Injectable()
export class EmbeddingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Embeddings');
  private links: Link[] = [];
  private loaded = false;
  private failures: LinkFailure[] = [];
  private disabledReason?: string;
  /** The link that served last, to log and count switches. */
  private lastServing?: Link;
  private resolveSettled!: () => void;
  /** Resolves once the chain has settled (links are loaded or embeddings are disabled). */
  readonly settled: Promise<void> = new Promise((r) => (this.resolveSettled = r));

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(MODEL_LOADERS) private readonly loaders: Record<string, ModelLoader>,
    @Inject(HARDWARE_PROBE) private readonly hardware: HardwareProbe,
    @Optional() @Inject(EMBEDDINGS_CLOCK) private readonly clock: Clock = Date.now,
    @Optional() @Inject(USAGE_SINK) private readonly usage?: UsageSink,
  ) {}

  onApplicationBootstrap() {
    void this.loadChain();
  }

  // After job workers have finished (they close in beforeApplicationShutdown).
  async onApplicationShutdown() {
    await Promise.all(this.links.map((l) => l.provider.dispose().catch(() => undefined)));
  }

  /** The provider that serves right now, or undefined when embeddings are disabled, still loading, or every loaded link is skipped. */
  get active(): EmbeddingProvider | undefined {
    return this.serving()?.provider;
  }

  /** Every loaded provider in chain order (e.g. to register each with the vector store up front). */
  get providers(): EmbeddingProvider[] {
    return this.links.map((l) => l.provider);
  }

  /** The loaded local links by folder name (the model registry records the serving one at first boot). */
  get localLinks(): { folder: string; provider: EmbeddingProvider }[] {
    return this.links.flatMap((l) => (l.entry.kind === 'local' ? [{ folder: l.entry.name, provider: l.provider }] : []));
  }

  /**
   * Loads a model folder under EMBEDDINGS_MODEL_DIR outside the chain (a registry candidate being
   * re-embedded, or a promoted model the chain does not list). The caller owns and disposes it.
   */
  loadFolder(name: string): Promise<EmbeddingProvider> {
    return this.loadEntry({ kind: 'local', raw: name, name, device: 'cpu' });
  }

  get status(): EmbeddingsStatus {
    if (!this.loaded) return { state: 'loading' };
    if (this.disabledReason) return { state: 'disabled', reason: this.disabledReason, failures: this.failures };
    const link = this.serving();
    const links = this.linkStatus();
    if (!link) {
      const why = links.map((l) => `${l.link}: ${l.reason}`).join('; ');
      return { state: 'disabled', reason: `every loaded link is skipped right now (${why})`, failures: this.failures };
    }
    return { state: 'ready', model: link.provider.id, dims: link.provider.dims, device: link.provider.device, links, skipped: this.failures };
  }

  /**
   * Vectors from `model` when given, else from the link serving now; either way every vector of
   * one call comes from that one model. Links sharing the id (a remote and a local copy of the
   * same model) back each other up; if none can serve now, this throws rather than mix models.
   */
  async embed(texts: string[], model?: string): Promise<Float32Array[]> {
    const id = model ?? this.serving()?.provider.id;
    if (!id) throw new EmbeddingsUnavailableError(`embeddings unavailable (${this.status.state})`);
    return (await this.walk(texts, (l) => l.provider.id === id)).vectors;
  }

  /** Vectors from the first link that can serve, falling through skipped or failing remote links, and which model made them. */
  async embedWithModel(texts: string[]): Promise<{ model: EmbeddingProvider; vectors: Float32Array[] }> {
    return this.walk(texts, () => true);
  }

  private async walk(texts: string[], eligible: (l: Link) => boolean): Promise<{ model: EmbeddingProvider; vectors: Float32Array[] }> {
    const skipped: string[] = [];
    for (const { provider: p } of this.links.filter(eligible)) {
      const end = metrics.embedSeconds.startTimer({ model: p.id });
      try {
        const vectors = await p.embed(texts);
        end();
        metrics.embedBatchSize.observe(texts.length);
        return { model: p, vectors };
      } catch (err) {
        // Only a gated (remote) link is skipped on trouble; a local model failing is a real error.
        if (!(isGated(p) && (err instanceof LinkUnavailableError || err instanceof RemoteEmbeddingError))) throw err;
        chainMetrics.linkSkips.inc({ model: p.id, reason: err instanceof LinkUnavailableError ? err.kind : 'error' });
        skipped.push((err as Error).message);
        // A spent budget or open breaker is logged once, as a switch of the serving link; a failed request every time.
        if (err instanceof RemoteEmbeddingError) this.log.warn({ msg: 'embedding link failed for this call, trying the next', model: p.id, error: err.message });
      }
    }
    throw new EmbeddingsUnavailableError(`no embedding link can serve now${skipped.length ? `: ${skipped.join('; ')}` : ` (${this.status.state})`}`);
  }

  /** First loaded link whose budgets and breaker allow a call now. */
  private serving(): Link | undefined {
    const link = this.links.find((l) => !isGated(l.provider) || l.provider.availability().ok);
    this.noteServing(link);
    return link;
  }

  /** Logs and meters a change of the serving link (remote spent or tripped → next link, and back). */
  private noteServing(link: Link | undefined) {
    const prev = this.lastServing;
    if (!this.loaded || prev === link) return;
    this.lastServing = link;
    if (prev) metrics.embeddingsActive.set({ model: prev.provider.id, device: prev.provider.device }, 0);
    if (link) metrics.embeddingsActive.set({ model: link.provider.id, device: link.provider.device }, 1);
    metrics.embeddingsDisabled.set(link ? 0 : 1);
    if (!prev) return; // the boot log already said which link serves
    const skipped = this.linkStatus().filter((l) => !l.available);
    this.log.warn({ msg: 'embedding link switched', from: prev.provider.id, to: link?.provider.id ?? null, skipped });
  }

  private linkStatus(): LinkStatus[] {
    return this.links.map(({ entry, provider: p }) => {
      const v = isGated(p) ? p.availability() : ({ ok: true } as const);
      return {
        link: entry.raw,
        model: p.id,
        dims: p.dims,
        device: p.device,
        available: v.ok,
        ...(v.ok ? {} : { reason: v.reason, retryAt: new Date(v.retryAt).toISOString() }),
      };
    });
  }

  private async loadChain() {
    if (!this.cfg.EMBEDDINGS_ENABLED) {
      this.disable('EMBEDDINGS_ENABLED=false', []);
      return;
    }
    const chain = this.cfg.EMBEDDINGS_CHAIN;
    if (!chain.some((e) => e.kind === 'local' && e.name === BUNDLED)) {
      this.log.warn({ msg: `EMBEDDINGS_CHAIN has no ${BUNDLED} link: if every listed model fails, embeddings are disabled`, chain: chain.map((e) => e.raw) });
    }
    let hardware: Hardware | undefined;
    for (const entry of chain) {
      if (entry.kind === 'local' && entry.device === 'cuda') {
        hardware ??= await this.hardware.probe().catch((err: Error) => ({ cuda: false, detail: `probe failed: ${err.message}` }));
        if (!hardware.cuda) {
          this.fail(entry, `skipped: no usable GPU (${hardware.detail})`);
          continue;
        }
      }
      let provider: EmbeddingProvider;
      try {
        provider = await this.loadEntry(entry);
      } catch (err) {
        this.fail(entry, (err as Error).message);
        continue;
      }
      this.links.push({ entry, provider });
      if (!isGated(provider)) break;
      const v = provider.availability();
      if (!v.ok) this.log.warn({ msg: 'remote embedding link kept, but skipped for now', model: provider.id, reason: v.reason, retryAt: new Date(v.retryAt).toISOString() });
    }
    if (!this.links.length) {
      this.disable('every model in EMBEDDINGS_CHAIN failed to load', this.failures);
      return;
    }
    const unused = chain.slice(chain.indexOf(this.links.at(-1)!.entry) + 1).map((e) => e.raw);
    this.loaded = true;
    const link = this.serving();
    this.log.log({
      msg: 'embedding model active',
      model: link?.provider.id ?? null,
      dims: link?.provider.dims ?? null,
      device: link?.provider.device ?? null,
      links: this.links.map((l) => ({ link: l.entry.raw, model: l.provider.id, device: l.provider.device })),
      skipped: this.failures,
      ...(hardware ? { hardware: hardware.detail } : {}),
      // A local link always serves, so links behind it are never loaded.
      ...(unused.length ? { notLoaded: unused } : {}),
    });
    this.resolveSettled();
  }

  private async loadEntry(entry: ChainEntry): Promise<EmbeddingProvider> {
    if (entry.kind === 'remote') return this.loadRemote();
    const dir = resolve(this.cfg.EMBEDDINGS_MODEL_DIR, entry.name);
    if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      throw new Error(`${dir}: model folder not found${entry.name === BUNDLED ? ' (run `npm run build:model`)' : ''}`);
    }
    const kind = await this.kindOf(dir);
    const loader = this.loaders[kind];
    if (!loader) throw new Error(`${dir}: unknown model kind "${kind}" (known: ${Object.keys(this.loaders).join(', ')})`);
    return loader({ dir, entry, cfg: this.cfg });
  }

  private async kindOf(dir: string): Promise<string> {
    const metaPath = join(dir, 'meta.json');
    const hasTokenizer = !!(await stat(join(dir, 'tokenizer.json')).catch(() => null));
    let meta: { kind?: unknown } | undefined;
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${metaPath}: unreadable (${(err as Error).message})`);
    }
    if (typeof meta?.kind === 'string') return meta.kind;
    if (hasTokenizer) return 'transformer';
    if (meta) return 'glove'; // meta.json without a kind: the bundled model's original layout
    throw new Error(`${dir}: not a model folder (no meta.json, no tokenizer.json)${dir.endsWith(BUNDLED) ? '; run `npm run build:model`' : ''}`);
  }

  private loadRemote(): Promise<EmbeddingProvider> {
    const c = this.cfg;
    if (!c.EMBEDDINGS_REMOTE_URL) throw new Error('the chain has a `remote` link but EMBEDDINGS_REMOTE_URL is not set');
    return loadRemoteProvider({
      url: c.EMBEDDINGS_REMOTE_URL,
      apiKey: c.EMBEDDINGS_REMOTE_API_KEY,
      model: c.EMBEDDINGS_REMOTE_MODEL,
      id: c.EMBEDDINGS_REMOTE_ID,
      dims: c.EMBEDDINGS_REMOTE_DIMS,
      batchSize: c.EMBEDDINGS_REMOTE_BATCH_SIZE,
      timeoutMs: c.EMBEDDINGS_REMOTE_TIMEOUT_MS,
      budget: {
        requestsPerMinute: c.EMBEDDINGS_REMOTE_REQUESTS_PER_MIN,
        tokensPerMinute: c.EMBEDDINGS_REMOTE_TOKENS_PER_MIN,
        requestsPerDay: c.EMBEDDINGS_REMOTE_REQUESTS_PER_DAY,
        tokensPerDay: c.EMBEDDINGS_REMOTE_TOKENS_PER_DAY,
      },
      breaker: { failureThreshold: c.EMBEDDINGS_REMOTE_FAILURE_THRESHOLD, openMs: c.EMBEDDINGS_REMOTE_OPEN_MS, slowMs: c.EMBEDDINGS_REMOTE_SLOW_MS },
      clock: this.clock,
      onBreakerChange: (state, reason) => this.log.warn({ msg: `remote embedding breaker ${state}`, reason }),
      // Embedding work is done for no API key (ingest), so the tokens are metered as internal.
      onBilled: (link, tokens) => this.usage?.record({ keyId: null, metric: 'embedding_tokens', dimension: link, quantity: tokens }),
    });
  }

  private fail(entry: ChainEntry, error: string) {
    this.failures.push({ model: entry.raw, error });
    this.log.warn({ msg: 'embedding model failed to load, trying the next', model: entry.raw, error });
  }

  private disable(reason: string, failures: LinkFailure[]) {
    this.disabledReason = reason;
    this.failures = failures;
    this.loaded = true;
    metrics.embeddingsDisabled.set(1);
    // One loud line: operators must notice, but it must not repeat per event.
    this.log.error({ msg: 'EMBEDDINGS DISABLED: semantic search falls back to keyword search', reason, failures });
    this.resolveSettled();
  }
}
