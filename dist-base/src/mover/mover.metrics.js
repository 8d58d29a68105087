import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '../../libs/observability/index.js';
const r = [registry];
/** The mover's metrics, in the process registry (served at /metrics). */
export const moverMetrics = {
    rowsMoved: new Counter({ name: 'sift_mover_rows_moved_total', help: 'Events moved from the hot table to the archive', registers: r }),
    vectors: new Counter({ name: 'sift_mover_vectors_total', help: 'Vectors of moved events, archived or deleted', labelNames: ['action'], registers: r }),
    batches: new Counter({ name: 'sift_mover_batches_total', help: 'Batches that moved rows, by claim: the move lease (a lone batch) or FOR UPDATE SKIP LOCKED row locks (batches running beside it)', labelNames: ['claim'], registers: r }),
    runs: new Counter({ name: 'sift_mover_runs_total', help: 'Mover runs by result', labelNames: ['result'], registers: r }),
    runSeconds: new Histogram({ name: 'sift_mover_run_seconds', help: 'Duration of one mover run', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: r }),
    batchSeconds: new Histogram({ name: 'sift_mover_batch_seconds', help: 'Duration of one batch transaction', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    oldestHotAgeSeconds: new Gauge({ name: 'sift_mover_oldest_hot_age_seconds', help: 'Age of the oldest row in the hot table (database clock), after the last run', registers: r }),
    lagSeconds: new Gauge({ name: 'sift_mover_lag_seconds', help: 'How far the oldest hot row is past the hot window (0 = caught up), after the last run', registers: r }),
    partitionsCreated: new Counter({ name: 'sift_mover_partitions_created_total', help: 'Archive day partitions created', registers: r }),
    partitionsDropped: new Counter({ name: 'sift_mover_partitions_dropped_total', help: 'Archive day partitions dropped by retention', registers: r }),
    vacuums: new Counter({ name: 'sift_mover_vacuums_total', help: 'VACUUMs of the hot tables run by the mover (dead tuples past the threshold)', registers: r }),
    defaultPartitionRows: new Gauge({ name: 'sift_mover_default_partition_rows', help: 'Rows found in the archive default partition by the last run (normally 0)', registers: r }),
};
//# sourceMappingURL=mover.metrics.js.map