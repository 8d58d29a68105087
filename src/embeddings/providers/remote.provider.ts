import { EconomicBreaker, ErrorBreaker, type BreakerState, type BudgetLimits, type Clock, type Verdict } from '../../../libs/resilience/breakers.js';
import { chainMetrics } from '../embeddings.metrics.js';
import { assertModelId } from '../embeddings.repository.js';
import type { EmbeddingProvider } from './provider.js';
import { l2normalise } from './model-files.js';
import { retryAfterMs } from '../../../libs/common/http.js';

export interface RemoteProviderOptions {
  /** Base URL, `/v1` base, or full `/v1/embeddings` URL of an OpenAI-compatible server. */
  url: string;
  apiKey?: string;
  /** Sent as `model`; omitted when unset (TEI serves one model and ignores it). */
  model?: string;
  /** Stored with the vectors; default `remote-<model>`. */
  id?: string;
  /** Expected width; unset means learnt from the first answer. */
  dims?: number;
  batchSize: number;
  timeoutMs: number;
  budget: BudgetLimits;
  breaker: { failureThreshold: number; openMs: number; slowMs: number };
  clock?: Clock;
  /** Told about breaker changes (for the log). */
  onBreakerChange?: (state: BreakerState, reason: string) => void;
  /** Told the tokens billed by every call (the usage meter), with this link's id. */
  onBilled?: (link: string, tokens: number) => void;
}

/** A link that can be used right now or not; the chain skips it while not. */
export interface GatedProvider extends EmbeddingProvider {
  availability(): Verdict;
}
export const isGated = (p: EmbeddingProvider): p is GatedProvider => typeof (p as Partial<GatedProvider>).availability === 'function';

/** Thrown before any request when a budget or the breaker says no: the caller should use the next link. */
export class LinkUnavailableError extends Error {
  constructor(
    readonly model: string,
    readonly reason: string,
    readonly retryAt: number,
    readonly kind: 'budget' | 'breaker',
  ) {
    super(`${model}: skipped (${reason})`);
    this.name = 'LinkUnavailableError';
  }
}

/** A failed request; `transient` marks trouble that may pass by itself (network, timeout, 5xx, 429). */
export class RemoteEmbeddingError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly outcome: 'error' | 'timeout' | 'rate_limited' | 'bad_answer',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RemoteEmbeddingError';
  }
}

// Social posts are short; this only stops a freak input from costing a fortune or a 413.
const MAX_CHARS = 8192;
const PROBE_TEXT = 'Sift embedding probe';

/** Where to POST, whatever form of the URL the operator gave (query strings kept, e.g. Azure api-version). */
export function embeddingsEndpoint(base: string): string {
  const u = new URL(base);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith('/embeddings') ? path : path.endsWith('/v1') ? `${path}/embeddings` : `${path}/v1/embeddings`;
  return u.toString();
}

/** Default id from the model name, shaped to what the vector store accepts. */
export function remoteModelId(model: string | undefined): string {
  const slug = (model ?? 'default')
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `remote-${slug || 'default'}`.slice(0, 63);
}

/** About four characters per token for English (OpenAI's rule of thumb); corrected by the server's usage report. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4) + 1;

/**
 * An OpenAI-compatible `/v1/embeddings` endpoint (TEI, Ollama, OpenAI, vLLM) as a chain link,
 * guarded by an economic breaker (requests/tokens per minute and per day) and an error/latency
 * breaker. When either says no, embed() throws {@link LinkUnavailableError} without sending
 * anything, so the chain can serve the call from the next link.
 */
export class RemoteProvider implements GatedProvider {
  readonly id: string;
  readonly device = 'remote';
  private width?: number;
  private readonly endpoint: string;
  private readonly clock: Clock;
  readonly budget: EconomicBreaker;
  readonly breaker: ErrorBreaker;

  constructor(private readonly opts: RemoteProviderOptions) {
    this.id = assertModelId(opts.id ?? remoteModelId(opts.model));
    this.width = opts.dims;
    this.endpoint = embeddingsEndpoint(opts.url);
    this.clock = opts.clock ?? Date.now;
    this.budget = new EconomicBreaker(opts.budget, this.clock);
    this.breaker = new ErrorBreaker({
      ...opts.breaker,
      clock: this.clock,
      onChange: (state, reason) => {
        chainMetrics.breakerState.set({ model: this.id }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
        opts.onBreakerChange?.(state, reason);
      },
    });
    chainMetrics.breakerState.set({ model: this.id }, 0);
  }

  get dims(): number {
    if (this.width === undefined) throw new Error(`${this.id}: dims unknown until the endpoint has answered once`);
    return this.width;
  }

  /** Whether a one-request call could go now (the chain's view; embed() checks the real cost). */
  availability(): Verdict {
    const b = this.budget.check(1, 1);
    return b.ok ? this.breaker.check() : b;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const inputs = texts.map((t) => t.slice(0, MAX_CHARS));
    const batches: string[][] = [];
    for (let i = 0; i < inputs.length; i += this.opts.batchSize) batches.push(inputs.slice(i, i + this.opts.batchSize));
    const estimate = inputs.reduce((sum, t) => sum + estimateTokens(t), 0);

    // All or nothing: one call is never split across two models.
    const affordable = this.budget.check(batches.length, estimate);
    if (!affordable.ok) throw new LinkUnavailableError(this.id, affordable.reason, affordable.retryAt, 'budget');
    const permitted = this.breaker.acquire();
    if (!permitted.ok) throw new LinkUnavailableError(this.id, permitted.reason, permitted.retryAt, 'breaker');

    const spend = this.budget.spend(batches.length, estimate);
    let billed = 0;
    let slowest = 0;
    const out: Float32Array[] = [];
    try {
      for (const batch of batches) {
        const started = this.clock();
        const { vectors, tokens } = await this.request(batch);
        slowest = Math.max(slowest, this.clock() - started);
        billed += tokens ?? batch.reduce((sum, t) => sum + estimateTokens(t), 0);
        chainMetrics.remoteRequests.inc({ model: this.id, outcome: 'ok' });
        out.push(...vectors);
      }
    } catch (err) {
      const e = err instanceof RemoteEmbeddingError ? err : new RemoteEmbeddingError(`${this.id}: ${(err as Error).message}`, true, 'error');
      chainMetrics.remoteRequests.inc({ model: this.id, outcome: e.outcome });
      if (e.retryAfterMs !== undefined) this.breaker.trip(e.retryAfterMs, `server asked to retry after ${e.retryAfterMs} ms`);
      else this.breaker.failure(e.message);
      throw e;
    } finally {
      // Requests that failed are not billed; those that succeeded before them are.
      spend.settle(billed);
      chainMetrics.remoteTokens.inc({ model: this.id }, billed);
      if (billed > 0) this.opts.onBilled?.(this.id, billed);
    }
    this.breaker.success(slowest);
    return out;
  }

  /** One real request, proving the endpoint, the key and the width; called when the chain loads. */
  async probe(): Promise<void> {
    await this.embed([PROBE_TEXT]);
  }

  async dispose(): Promise<void> {}

  private async request(batch: string[]): Promise<{ vectors: Float32Array[]; tokens?: number }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        },
        body: JSON.stringify({ input: batch, ...(this.opts.model ? { model: this.opts.model } : {}) }),
        // Covers reading the body too: a server that stalls mid-answer times out the same way.
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError') throw new RemoteEmbeddingError(`${this.id}: no answer within ${this.opts.timeoutMs} ms`, true, 'timeout');
      const cause = (e as { cause?: Error }).cause?.message;
      throw new RemoteEmbeddingError(`${this.id}: request to ${this.endpoint} failed: ${cause ?? e.message}`, true, 'error');
    }
    if (!res.ok) {
      const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
      const msg = `${this.id}: ${this.endpoint} answered ${res.status}${snippet ? `: ${snippet}` : ''}`;
      if (res.status === 429) throw new RemoteEmbeddingError(msg, true, 'rate_limited', retryAfterMs(res.headers.get('retry-after'), this.clock()));
      throw new RemoteEmbeddingError(msg, res.status >= 500, 'error');
    }
    return this.parse(text, batch.length);
  }

  private parse(text: string, expected: number): { vectors: Float32Array[]; tokens?: number } {
    const bad = (why: string) => new RemoteEmbeddingError(`${this.id}: ${this.endpoint} gave an unusable answer: ${why}`, false, 'bad_answer');
    let body: { data?: { embedding?: unknown; index?: unknown }[]; usage?: { total_tokens?: unknown; prompt_tokens?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw bad('not JSON');
    }
    if (!Array.isArray(body?.data) || body.data.length !== expected) throw bad(`expected data[] with ${expected} item(s)`);
    const rows = body.data.every((d) => Number.isInteger(d.index)) ? [...body.data].sort((a, b) => (a.index as number) - (b.index as number)) : body.data;
    const vectors = rows.map((d, i) => {
      const e = d.embedding;
      if (!Array.isArray(e) || !e.length || !e.every((x) => typeof x === 'number' && Number.isFinite(x))) throw bad(`data[${i}].embedding is not a list of numbers`);
      return l2normalise(Float32Array.from(e as number[]));
    });
    const width = vectors[0]!.length;
    if (vectors.some((v) => v.length !== width)) throw bad('vectors of different widths');
    if (this.width !== undefined && width !== this.width) {
      throw bad(`vectors have ${width} dims, expected ${this.width}${this.opts.dims ? ' (EMBEDDINGS_REMOTE_DIMS)' : ''}`);
    }
    this.width = width;
    const tokens = [body.usage?.total_tokens, body.usage?.prompt_tokens].find((t): t is number => typeof t === 'number' && t >= 0);
    return { vectors, tokens };
  }
}

/**
 * Builds the remote link and probes it once. A remote whose width is configured survives an
 * unreachable endpoint at boot (e.g. TEI still loading its model): it is kept with the breaker
 * open, so later half-open probes can bring it in. Without a configured width, or on an answer
 * that can never work (401, 404, wrong width), loading fails like any other link.
 */
export async function loadRemoteProvider(opts: RemoteProviderOptions): Promise<RemoteProvider> {
  const provider = new RemoteProvider(opts);
  try {
    await provider.probe();
  } catch (err) {
    const transient = err instanceof RemoteEmbeddingError ? err.transient : err instanceof LinkUnavailableError;
    if (!(opts.dims && transient)) throw err;
    provider.breaker.trip(opts.breaker.openMs, `unreachable at boot: ${(err as Error).message}`);
  }
  return provider;
}


