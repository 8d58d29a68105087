/**
 * The seam every part that raises an alert goes through (LLM budgets, watches, model drift). The
 * alerts module provides the implementation under {@link ALERT_SINK}: it stores the alert, logs
 * it, counts it in /metrics, emits the socket.io `alert` event (to its owner key only when it has
 * one, else to admin connections) and calls the optional signed webhook.
 */
/** Nest injection token for the {@link AlertSink}. */
export const ALERT_SINK = 'ALERT_SINK';
//# sourceMappingURL=alerts.js.map