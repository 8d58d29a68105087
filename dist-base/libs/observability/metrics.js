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
    jobsFailed: new Counter({ name: 'sift_jobs_failed_total', help: 'Jobs that threw', labelNames: ['queue'], registers: r }),
};
//# sourceMappingURL=metrics.js.map