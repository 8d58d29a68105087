import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus, TOPICS } from '../../libs/bus/event-bus.js';
import { createDataSource, Db, runMigrationsLocked } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { llmConfig } from '../../bench/lib/llm-harness.js';
import { signWebhook } from '../../src/alerts/alert-webhook.js';
import { AlertsRepository, type StoredAlert } from '../../src/alerts/alerts.repository.js';
import { AlertsService } from '../../src/alerts/alerts.service.js';
import { createTestDatabase } from '../support/db.js';

const SECRET = 'webhook-secret-0123456789';

/** A real HTTP receiver: answers 500 to the first `failFirst` deliveries (Infinity: always), then 200; or holds every answer until released. */
class WebhookReceiver {
  received: { signature: string; body: string; validSignature: boolean }[] = [];
  failFirst = 0;
  hold: Promise<void> | null = null;
  private server!: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  private async handle(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    for await (const chunk of req) body += chunk;
    const signature = String(req.headers['x-sift-signature'] ?? '');
    const t = Number(/t=(\d+)/.exec(signature)?.[1]);
    this.received.push({ signature, body, validSignature: signature !== '' && signWebhook(SECRET, body, t) === signature });
    if (this.hold) await this.hold;
    res.statusCode = this.received.length <= this.failFirst ? 500 : 200;
    res.end();
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('alert webhook: signed, retried with backoff, dead-lettered (real Postgres, real HTTP)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let pool: pg.Pool;
  let repo: AlertsRepository;
  const receiver = new WebhookReceiver();
  let url = '';
  let n = 0;
  const service = (maxAttempts = 4) => {
    const bus = new LocalEventBus();
    const alerts = new AlertsService(repo, bus, llmConfig(db.url, { ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_WEBHOOK_MAX_ATTEMPTS: String(maxAttempts) }));
    const waits: number[] = [];
    alerts.sleep = async (ms) => void waits.push(ms); // record the backoff, don't spend it
    return { alerts, bus, waits };
  };
  const input = () => ({ kind: 'budget' as const, severity: 'warning' as const, title: `t${++n}`, detail: { n }, onceKey: `webhook-test:${n}` });
  /** Polls the alert row until its delivery leaves `pending` (no time limit but the test's). */
  const settled = async (id: string): Promise<StoredAlert> => {
    for (;;) {
      const row = (await repo.list({ limit: 100 })).find((a) => a.id === id)!;
      if (row.webhookState !== 'pending') return row;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createTestDatabase('sift_webhook');
    ds = createDataSource({ url: db.url, migrations: MIGRATIONS });
    await ds.initialize();
    await runMigrationsLocked(ds);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    repo = new AlertsRepository(new Db(pool));
    url = await receiver.start();
  });
  afterEach(() => {
    receiver.received = [];
    receiver.failFirst = 0;
    receiver.hold = null;
  });
  afterAll(async () => {
    await receiver.close();
    await pool?.end();
    await ds?.destroy();
    await db?.drop();
  });

  it('fails twice, then delivers: every attempt signed (HMAC over "<t>.<body>"), backoff grows within full-jitter bounds', async () => {
    receiver.failFirst = 2;
    const { alerts, waits } = service(4);
    const r = await alerts.raise(input());
    expect(r.raised).toBe(true);
    const row = await settled(r.alert!.id);
    expect(row.webhookState).toBe('delivered');
    expect(row.webhookAttempts).toBe(3);
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.every((d) => d.validSignature)).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'alert', alert: { id: r.alert!.id, title: r.alert!.title } });
    // Two waits, one per failed attempt: 250 ms floor plus full jitter in [0, min(30 s, 500·2^n)].
    expect(waits).toHaveLength(2);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(250);
      expect(w).toBeLessThanOrEqual(250 + Math.min(30_000, 500 * 2 ** (i + 1)));
    });
  });

  it('a receiver that always fails is dead-lettered after ALERT_WEBHOOK_MAX_ATTEMPTS, with the last error kept', async () => {
    receiver.failFirst = Infinity;
    const { alerts, waits } = service(3);
    const r = await alerts.raise(input());
    const row = await settled(r.alert!.id);
    expect(row.webhookState).toBe('dead');
    expect(row.webhookAttempts).toBe(3);
    expect(row.webhookError).toMatch(/webhook answered 500/);
    expect(receiver.received).toHaveLength(3);
    expect(waits).toHaveLength(2); // no wait after the last attempt
  });

  it('a tampered body does not verify against the signature', async () => {
    const { alerts } = service(1);
    const r = await alerts.raise(input());
    await settled(r.alert!.id);
    const [d] = receiver.received;
    const t = Number(/t=(\d+)/.exec(d!.signature)![1]);
    expect(signWebhook(SECRET, d!.body, t)).toBe(d!.signature);
    expect(signWebhook(SECRET, d!.body.replace('"alert"', '"alerx"'), t)).not.toBe(d!.signature);
    expect(signWebhook('another-secret-0123456789', d!.body, t)).not.toBe(d!.signature);
  });

  it('a slow webhook never delays raising: raise() and the bus event complete while the receiver still holds the request', async () => {
    let release!: () => void;
    receiver.hold = new Promise<void>((r) => (release = r));
    const { alerts, bus } = service(2);
    const published: string[] = [];
    await bus.subscribe(TOPICS.alertRaised, (a: { id: string }) => void published.push(a.id));
    const r = await alerts.raise(input());
    expect(r.raised).toBe(true);
    // The alert is stored, published and returned; its delivery is still in flight at the receiver.
    while (receiver.received.length === 0) await new Promise((res) => setTimeout(res, 10));
    expect(published).toEqual([r.alert!.id]);
    expect((await repo.list({ limit: 100 })).find((a) => a.id === r.alert!.id)!.webhookState).toBe('pending');
    release();
    expect((await settled(r.alert!.id)).webhookState).toBe('delivered');
  });
});
