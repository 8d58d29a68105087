/**
 * The seam between whatever spends (HTTP requests, searches, query embeddings, remote embedding
 * calls, language-model calls) and the usage meter that sums it per API key and minute. Spenders
 * depend on this interface only; the usage module provides the implementation under
 * {@link USAGE_SINK} and writes the sums to Postgres in batches.
 */
/** Nest injection token for the {@link UsageSink}; inject it `@Optional()` where metering may be off. */
export const USAGE_SINK = 'USAGE_SINK';
//# sourceMappingURL=usage.js.map