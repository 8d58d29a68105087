import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process, with every Sift metric declared here so names and labels are in one
 * place. Modules import the metric they move; /metrics renders the registry.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'sift_process_' });

const r = [registry];
export const metrics = {
  eventsIngested: new Counter({ name: 'sift_relay_events_ingested_total', help: 'Events stored (after dedupe)', labelNames: ['source'], registers: r }),
  eventsDuplicate: new Counter({ name: 'sift_relay_events_duplicate_total', help: 'Events dropped as already stored', labelNames: ['source'], registers: r }),
  framesQuarantined: new Counter({ name: 'sift_relay_frames_quarantined_total', help: 'Bad frames written to quarantine', labelNames: ['source', 'reason'], registers: r }),
  framesSkipped: new Counter({ name: 'sift_relay_frames_skipped_total', help: 'Valid frames that carry no event (deletes, likes, identity)', labelNames: ['source'], registers: r }),
  reconnects: new Counter({ name: 'sift_relay_reconnects_total', help: 'Source reconnect attempts', labelNames: ['source', 'reason'], registers: r }),
  sourceState: new Gauge({ name: 'sift_relay_source_state', help: '1 for the state each source is in', labelNames: ['source', 'state'], registers: r }),
  sourceLagSeconds: new Gauge({ name: 'sift_relay_source_lag_seconds', help: 'Now minus the source time of the last stored event', labelNames: ['source'], registers: r }),
  gapsRecorded: new Counter({ name: 'sift_relay_gaps_total', help: 'Ingest gaps that could not be closed', labelNames: ['source'], registers: r }),
  batchSeconds: new Histogram({ name: 'sift_relay_batch_write_seconds', help: 'Time to write one batch', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: r }),
  bufferedEvents: new Gauge({ name: 'sift_relay_buffered_events', help: 'Events held in memory awaiting a write', labelNames: ['source'], registers: r }),
  embedBatchSize: new Histogram({ name: 'sift_embed_batch_size', help: 'Texts per model run', buckets: [1, 8, 32, 64, 128, 256, 512], registers: r }),
  embedSeconds: new Histogram({ name: 'sift_embed_batch_seconds', help: 'Model run time per batch', labelNames: ['model'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: r }),
  embeddedEvents: new Counter({ name: 'sift_embed_events_total', help: 'Vectors written', labelNames: ['model'], registers: r }),
  embedFailures: new Counter({ name: 'sift_embed_failures_total', help: 'Embedding batches that failed', labelNames: ['model'], registers: r }),
  embeddingsActive: new Gauge({ name: 'sift_embeddings_active', help: '1 for the active model; sift_embeddings_disabled is 1 when none loaded', labelNames: ['model', 'device'], registers: r }),
  embeddingsDisabled: new Gauge({ name: 'sift_embeddings_disabled', help: '1 when embeddings are disabled (by config or because every model failed)', registers: r }),
  searchSeconds: new Histogram({ name: 'sift_search_seconds', help: 'Search latency', labelNames: ['mode'], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: r }),
  searchInflight: new Gauge({ name: 'sift_search_inflight', help: 'Searches running (state=running) or waiting for a slot (state=waiting) on this instance', labelNames: ['state'], registers: r }),
  searchRejected: new Counter({ name: 'sift_search_rejected_total', help: 'Searches turned away with 503 because every slot was busy (reason=queue_full|timeout), or that left the wait list because the client hung up (reason=client_gone)', labelNames: ['reason'], registers: r }),
  socketClients: new Gauge({ name: 'sift_socket_clients', help: 'Connected socket.io clients on this instance', registers: r }),
  socketsDropped: new Counter({ name: 'sift_socket_dropped_total', help: 'socket.io clients disconnected for not keeping up (unsent packets past SOCKET_MAX_BUFFERED_PACKETS)', registers: r }),
  // Per-route HTTP latency (api role). Labels are the route template, method and status class only
  // (never key ids or raw paths), so the series count is bounded by the routes Sift defines.
  // Buckets from 1 ms to 10 s, about three per decade, so p50/p95/p99 interpolate within ~2x.
  httpRequestSeconds: new Histogram({ name: 'sift_http_request_duration_seconds', help: 'HTTP request duration by method, route template (`unmatched` for no route) and status class', labelNames: ['method', 'route', 'status_class'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: r }),
  httpRequestErrors: new Counter({ name: 'sift_http_requests_errors_total', help: 'HTTP answers with a 4xx or 5xx status, by method, route template and status class', labelNames: ['method', 'route', 'status_class'], registers: r }),
  usageFlushSeconds: new Histogram({ name: 'sift_usage_flush_seconds', help: 'Time to write one batch of usage counters', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: r }),
  usageFlushedCounters: new Counter({ name: 'sift_usage_flushed_counters_total', help: 'Usage counters (key × minute × metric × dimension) written', registers: r }),
  usageFlushFailures: new Counter({ name: 'sift_usage_flush_failures_total', help: 'Usage flushes that failed (their counters are kept and retried)', registers: r }),
  usageDropped: new Counter({ name: 'sift_usage_dropped_total', help: 'Usage quantity dropped because too many counters were pending (database unreachable for long)', registers: r }),
  jobsFailed: new Counter({ name: 'sift_jobs_failed_total', help: 'Jobs that threw', labelNames: ['queue'], registers: r }),
};
