import type { UsageRow } from './usage.repository.js';

/** Integer nano-USD as an exact decimal USD string: 1234567n → "0.001234567". */
export function nanoUsdToUsd(nano: bigint): string {
  const neg = nano < 0n;
  const abs = neg ? -nano : nano;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

export interface RequestCount {
  route: string;
  statusClass: string;
  count: number;
}
export interface ModeCount {
  mode: string;
  count: number;
}
export interface ModelCount {
  model: string;
  count: number;
}
export interface EmbeddingTokens {
  link: string;
  tokens: number;
  costUsd: string;
}
export interface LlmUsage {
  link: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: string;
}

/** Everything metered in one time bucket (or over a whole range). */
export interface UsageSummary {
  requests: RequestCount[];
  searches: ModeCount[];
  queryEmbeddings: ModelCount[];
  embeddingTokens: EmbeddingTokens[];
  llm: LlmUsage[];
  costUsd: string;
}

/** Sums rows (any buckets, any keys) into one summary. */
export function summarize(rows: UsageRow[]): UsageSummary {
  const requests = new Map<string, RequestCount>();
  const searches = new Map<string, ModeCount>();
  const embeds = new Map<string, ModelCount>();
  const tokens = new Map<string, { link: string; tokens: number; cost: bigint }>();
  const llm = new Map<string, { link: string; calls: number; tokensIn: number; tokensOut: number; cost: bigint }>();
  let cost = 0n;
  for (const r of rows) {
    cost += r.costNanoUsd;
    switch (r.metric) {
      case 'http_requests': {
        // dimension: "GET /events/:id 2xx" (method and class have no spaces; the route is between).
        const first = r.dimension.indexOf(' ');
        const last = r.dimension.lastIndexOf(' ');
        const route = first > 0 && last > first ? r.dimension.slice(0, last) : r.dimension;
        const statusClass = last > first ? r.dimension.slice(last + 1) : '';
        const c = requests.get(r.dimension) ?? requests.set(r.dimension, { route, statusClass, count: 0 }).get(r.dimension)!;
        c.count += r.quantity;
        break;
      }
      case 'search_queries': {
        const c = searches.get(r.dimension) ?? searches.set(r.dimension, { mode: r.dimension, count: 0 }).get(r.dimension)!;
        c.count += r.quantity;
        break;
      }
      case 'query_embeddings': {
        const c = embeds.get(r.dimension) ?? embeds.set(r.dimension, { model: r.dimension, count: 0 }).get(r.dimension)!;
        c.count += r.quantity;
        break;
      }
      case 'embedding_tokens': {
        const c = tokens.get(r.dimension) ?? tokens.set(r.dimension, { link: r.dimension, tokens: 0, cost: 0n }).get(r.dimension)!;
        c.tokens += r.quantity;
        c.cost += r.costNanoUsd;
        break;
      }
      case 'llm_calls':
      case 'llm_tokens_in':
      case 'llm_tokens_out': {
        const c = llm.get(r.dimension) ?? llm.set(r.dimension, { link: r.dimension, calls: 0, tokensIn: 0, tokensOut: 0, cost: 0n }).get(r.dimension)!;
        if (r.metric === 'llm_calls') c.calls += r.quantity;
        else if (r.metric === 'llm_tokens_in') c.tokensIn += r.quantity;
        else c.tokensOut += r.quantity;
        c.cost += r.costNanoUsd;
        break;
      }
    }
  }
  return {
    requests: [...requests.values()],
    searches: [...searches.values()],
    queryEmbeddings: [...embeds.values()],
    embeddingTokens: [...tokens.values()].map(({ cost: c, ...t }) => ({ ...t, costUsd: nanoUsdToUsd(c) })),
    llm: [...llm.values()].map(({ cost: c, ...l }) => ({ ...l, costUsd: nanoUsdToUsd(c) })),
    costUsd: nanoUsdToUsd(cost),
  };
}

/** Rows grouped by bucket (in bucket order), each summarised. */
export function byBucket(rows: UsageRow[]): (UsageSummary & { start: string })[] {
  const groups = new Map<string, UsageRow[]>();
  for (const r of rows) (groups.get(r.bucket) ?? groups.set(r.bucket, []).get(r.bucket)!).push(r);
  return [...groups.entries()].map(([start, rs]) => ({ start, ...summarize(rs) }));
}

/** Rows grouped by key (null: no key), each summarised. */
export function byKey(rows: UsageRow[]): (UsageSummary & { keyId: string | null })[] {
  const groups = new Map<string | null, UsageRow[]>();
  for (const r of rows) (groups.get(r.keyId) ?? groups.set(r.keyId, []).get(r.keyId)!).push(r);
  return [...groups.entries()].map(([keyId, rs]) => ({ keyId, ...summarize(rs) }));
}
