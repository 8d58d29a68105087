/**
 * The seam between whatever spends (HTTP requests, searches, query embeddings, remote embedding
 * calls, language-model calls) and the usage meter that sums it per API key and minute. Spenders
 * depend on this interface only; the usage module provides the implementation under
 * {@link USAGE_SINK} and writes the sums to Postgres in batches.
 */

/** What is counted. `dimension` says which route / mode / link the quantity belongs to. */
export type UsageMetric =
  /** dimension: `${method} ${routeTemplate} ${statusClass}`, e.g. `GET /events 2xx` */
  | 'http_requests'
  /** dimension: search mode (`hybrid`, `semantic`, `keyword`) */
  | 'search_queries'
  /** dimension: embedding model id */
  | 'query_embeddings'
  /** dimension: remote embedding link name */
  | 'embedding_tokens'
  /** dimension: LLM link name (`extractive` for the no-model tier) */
  | 'llm_tokens_in'
  | 'llm_tokens_out'
  | 'llm_calls';

export interface UsageRecord {
  /** The API key the work was done for; null for internal work (agents, jobs) with no key. */
  keyId: string | null;
  metric: UsageMetric;
  dimension: string;
  quantity: number;
  /**
   * Money spent, in integer nano-USD (1e-9 USD), so sums stay exact: a price per 1M tokens with at
   * most three decimals times a token count is always a whole number of nano-USD.
   */
  costNanoUsd?: number;
}

export interface UsageSink {
  /** Adds to the current minute's counters; never throws and never waits on I/O. */
  record(usage: UsageRecord): void;
}

/** Nest injection token for the {@link UsageSink}; inject it `@Optional()` where metering may be off. */
export const USAGE_SINK = 'USAGE_SINK';
