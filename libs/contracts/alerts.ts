/**
 * The seam every part that raises an alert goes through (LLM budgets, watches, model drift). The
 * alerts module provides the implementation under {@link ALERT_SINK}: it stores the alert, logs
 * it, counts it in /metrics, emits the socket.io `alert` event (to its owner key only when it has
 * one, else to admin connections) and calls the optional signed webhook.
 */

export type AlertKind = 'budget' | 'watch' | 'drift' | 'system';
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  /** One line a person reads first, e.g. "LLM budget 80 % spent (global, day 2026-12-07)". */
  title: string;
  /** Structured detail (scope, threshold, counts, ids); JSON-serialisable. */
  detail: Record<string, unknown>;
  /** API key that owns the alert (a watch's creator); null/absent = operators (admin scope). */
  ownerKeyId?: string | null;
  /**
   * Raise at most once per key, across every replica (e.g. `budget:global:day:2026-12-07:80`).
   * A second raise with the same key returns `{ raised: false }` and does nothing.
   */
  onceKey?: string;
}

/** An alert as stored and as sent to clients. */
export interface Alert extends AlertInput {
  id: string;
  /** ISO time (database clock) it was raised. */
  raisedAt: string;
}

export interface AlertSink {
  raise(alert: AlertInput): Promise<{ raised: boolean; alert?: Alert }>;
}

/** Nest injection token for the {@link AlertSink}. */
export const ALERT_SINK = 'ALERT_SINK';
