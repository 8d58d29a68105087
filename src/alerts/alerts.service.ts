import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EVENT_BUS, TOPICS, type EventBus } from '../../libs/bus/event-bus.js';
import type { SiftConfig } from '../../libs/config/index.js';
import type { Alert, AlertInput, AlertSink } from '../../libs/contracts/alerts.js';
import { registry } from '../../libs/observability/index.js';
import { fullJitterMs } from '../../libs/resilience/retry-budget.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { postWebhook } from './alert-webhook.js';
import { AlertsRepository } from './alerts.repository.js';

export const alertsRaised = new Counter({ name: 'sift_alerts_raised_total', help: 'Alerts raised (stored once), by kind and severity', labelNames: ['kind', 'severity'], registers: [registry] });
const webhookFailures = new Counter({ name: 'sift_alert_webhook_failures_total', help: 'Alert webhook attempts that failed (outcome=retry|dead)', labelNames: ['outcome'], registers: [registry] });

/**
 * The ALERT_SINK: stores the alert (the unique once-key decides, across replicas, whether it is
 * new), then logs it, counts it, publishes it on the bus (every api instance emits it to the
 * owner's sockets, or admin sockets) and, when configured, POSTs the signed webhook in the
 * background with retries; the delivery state is kept on the row (`dead` after the last attempt).
 */
@Injectable()
export class AlertsService implements AlertSink, OnApplicationShutdown {
  private readonly log = new Logger('Alerts');
  private readonly deliveries = new Set<Promise<void>>();
  private closing = false;
  /** Waits between webhook attempts; replaceable in tests. */
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  constructor(
    private readonly repo: AlertsRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  async raise(input: AlertInput): Promise<{ raised: boolean; alert?: Alert }> {
    const webhook = !!this.cfg.ALERT_WEBHOOK_URL;
    const stored = await this.repo.insertOnce(input, webhook);
    if (!stored) return { raised: false };
    const { webhookState: _s, webhookAttempts: _a, webhookError: _e, ...alert } = stored;
    this.log.warn({ msg: `alert: ${alert.title}`, kind: alert.kind, severity: alert.severity, alertId: alert.id, ownerKeyId: alert.ownerKeyId, detail: alert.detail });
    alertsRaised.inc({ kind: alert.kind, severity: alert.severity });
    await this.bus.publish(TOPICS.alertRaised, alert).catch((err) => this.log.warn({ msg: 'alert not published on the bus', error: (err as Error).message }));
    if (webhook) this.track(this.deliver(alert));
    return { raised: true, alert };
  }

  private track(p: Promise<void>) {
    this.deliveries.add(p);
    void p.finally(() => this.deliveries.delete(p));
  }

  private async deliver(alert: Alert): Promise<void> {
    const url = this.cfg.ALERT_WEBHOOK_URL!;
    const body = JSON.stringify({ type: 'alert', alert });
    const max = this.cfg.ALERT_WEBHOOK_MAX_ATTEMPTS;
    for (let attempt = 1; attempt <= max; attempt++) {
      try {
        await postWebhook(url, this.cfg.ALERT_WEBHOOK_SECRET, body);
        await this.repo.webhookAttempt(alert.id, 'delivered', null);
        return;
      } catch (err) {
        const last = attempt === max || this.closing;
        const error = (err as Error).message;
        webhookFailures.inc({ outcome: last ? 'dead' : 'retry' });
        await this.repo.webhookAttempt(alert.id, last ? 'dead' : 'pending', error).catch(() => undefined);
        if (last) {
          this.log.error({ msg: 'alert webhook dead-lettered', alertId: alert.id, attempts: attempt, error });
          return;
        }
        await this.sleep(250 + fullJitterMs(attempt, 500, 30_000));
      }
    }
  }

  /** Lets in-flight webhook deliveries finish their current attempt (no new retries). */
  async onApplicationShutdown() {
    this.closing = true;
    await Promise.allSettled([...this.deliveries]);
  }
}
