import { Counter, Gauge } from 'prom-client';
import { registry } from '../../libs/observability/index.js';

const r = [registry];
/** Model lifecycle and drift gauges (the last window's values, per model). */
export const modelMetrics = {
  coverage: new Gauge({ name: 'sift_model_coverage', help: 'Share of hot events with a vector from the model (registry, updated by the re-embed)', labelNames: ['model'], registers: r }),
  reembedded: new Counter({ name: 'sift_model_reembedded_total', help: 'Events re-embedded for a promotion', labelNames: ['model'], registers: r }),
  switches: new Counter({ name: 'sift_model_switches_total', help: 'Active-model switches (promotion reaching coverage, rollback)', labelNames: ['action'], registers: r }),
  driftCentroid: new Gauge({ name: 'sift_drift_centroid_shift', help: '1 − cosine of reference and recent-window centroids', labelNames: ['model'], registers: r }),
  driftDims: new Gauge({ name: 'sift_drift_dims_share', help: 'Share of dimensions whose mean moved beyond DRIFT_K standard errors', labelNames: ['model'], registers: r }),
  driftMmd: new Gauge({ name: 'sift_drift_mmd', help: 'Random-feature MMD² between reference and recent window', labelNames: ['model'], registers: r }),
  driftStreak: new Gauge({ name: 'sift_drift_streak', help: 'Drifted windows in a row', labelNames: ['model'], registers: r }),
  driftAlerts: new Counter({ name: 'sift_drift_alerts_total', help: 'Drift alerts raised (DRIFT_ALERT_WINDOWS drifted windows in a row)', labelNames: ['model'], registers: r }),
  queryMedianTop1: new Gauge({ name: 'sift_search_median_top1_similarity', help: 'Rolling median of the best semantic similarity of recent searches (this api instance)', registers: r }),
  queryBelowFloor: new Gauge({ name: 'sift_search_below_floor_share', help: 'Share of recent searches whose best semantic hit is below DRIFT_QUERY_FLOOR', registers: r }),
};
