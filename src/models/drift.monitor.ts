import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { ALERT_SINK, type AlertSink } from '../../libs/contracts/alerts.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { compare, isDrifted, summarise, type DriftStats, type DriftThresholds, type WindowSummary } from './drift.js';
import { modelMetrics } from './models.metrics.js';
import { ModelsRepository } from './models.repository.js';

/** One window's verdict given the previous streak; pure, so tests can replay a stream through it. */
export function driftStep(ref: WindowSummary, window: ArrayLike<number>[], t: DriftThresholds, prevStreak: number, alertWindows: number) {
  const stats = compare(ref, summarise(window, ref.seed), t.k);
  const drifted = isDrifted(stats, t);
  const streak = drifted ? prevStreak + 1 : 0;
  return { stats, drifted, streak, alert: streak === alertWindows };
}

/**
 * The drift job (worker, every DRIFT_INTERVAL): the newest DRIFT_WINDOW vectors of the active
 * model against its reference window (frozen at promotion, or at the first run; refreshable by
 * an admin). An alert goes through the alert seam when DRIFT_ALERT_WINDOWS windows in a row
 * drifted; with no sink it is a log line and sift_drift_alerts_total.
 */
@Injectable()
export class DriftMonitor {
  private readonly log = new Logger('ModelDrift');

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    private readonly repo: ModelsRepository,
    private readonly vectors: EmbeddingsRepository,
    @Optional() @Inject(ALERT_SINK) private readonly alerts?: AlertSink,
  ) {}

  private thresholds(): DriftThresholds {
    return { k: this.cfg.DRIFT_K, dimsShare: this.cfg.DRIFT_DIMS_THRESHOLD, centroid: this.cfg.DRIFT_CENTROID_THRESHOLD, mmd: this.cfg.DRIFT_MMD_THRESHOLD };
  }

  /** Freezes the reference window of `name` from its newest vectors (at promotion, or by an admin). */
  async freezeReference(name: string): Promise<WindowSummary | undefined> {
    const row = await this.repo.byName(name);
    if (!row) return undefined;
    const vs = await this.vectors.recentVectors(row.modelId, this.cfg.DRIFT_WINDOW);
    // Only a full window: a reference frozen from the first few vectors embedded (one batch, one
    // topic) would make every later window look drifted.
    if (vs.length < this.cfg.DRIFT_WINDOW) return undefined;
    const ref = summarise(vs);
    await this.repo.setDriftReference(name, ref);
    this.log.log({ msg: 'drift reference frozen', model: name, window: vs.length });
    return ref;
  }

  /** One drift window for the active model; undefined when there is nothing to compare yet. */
  async runWindow(): Promise<{ stats: DriftStats; drifted: boolean; streak: number; alerted: boolean } | undefined> {
    const active = await this.repo.active();
    if (!active) return undefined;
    const ref = await this.repo.driftReference(active.name);
    if (!ref) {
      await this.freezeReference(active.name);
      return undefined;
    }
    const window = await this.vectors.recentVectors(active.modelId, this.cfg.DRIFT_WINDOW);
    if (window.length < this.cfg.DRIFT_WINDOW) return undefined;
    const [last] = await this.repo.driftHistory(active.name, 1);
    const step = driftStep(ref, window, this.thresholds(), last?.streak ?? 0, this.cfg.DRIFT_ALERT_WINDOWS);
    const labels = { model: active.name };
    modelMetrics.driftCentroid.set(labels, step.stats.centroidShift);
    modelMetrics.driftDims.set(labels, step.stats.driftedDimsShare);
    modelMetrics.driftMmd.set(labels, step.stats.mmd);
    modelMetrics.driftStreak.set(labels, step.streak);
    if (step.alert) await this.alert(active.name, step.stats, step.streak);
    await this.repo.recordDrift({ model: active.name, windowSize: window.length, stats: step.stats, drifted: step.drifted, streak: step.streak, alerted: step.alert });
    return { stats: step.stats, drifted: step.drifted, streak: step.streak, alerted: step.alert };
  }

  private async alert(model: string, stats: DriftStats, streak: number) {
    modelMetrics.driftAlerts.inc({ model });
    const title = `embedding drift on ${model}: ${streak} windows in a row over threshold`;
    this.log.error({ msg: title, model, ...stats, thresholds: this.thresholds() });
    if (!this.alerts) return;
    await this.alerts
      .raise({ kind: 'drift', severity: 'warning', title, detail: { model, streak, ...stats, thresholds: this.thresholds() } })
      .catch((err) => this.log.warn({ msg: 'drift alert could not be raised', error: (err as Error).message }));
  }
}
