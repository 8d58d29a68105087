import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_SINK, type Alert, type AlertSink } from '../../libs/contracts/alerts.js';
import { createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, getJson, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { waitFor } from '../support/wait.js';
import { listenForAlerts, type SiftSocket } from '../support/alert-listener.js';

type Client = SiftSocket;

describe('alerts: GET /alerts and the socket.io alert event (real app, real socket.io)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  const sockets: Client[] = [];
  const listen = (key: string) => listenForAlerts(sift.url, key, sockets);

  beforeAll(async () => {
    db = await createTestDatabase('sift_alerts');
    const ds = createDataSource({ url: db.url, migrations: MIGRATIONS });
    await ds.initialize();
    await runMigrationsLocked(ds);
    await ds.destroy();
    sift = await bootSift({ DATABASE_URL: db.url, EMBEDDINGS_ENABLED: 'false' }, 'api');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await sift?.close();
    await db?.drop();
  });

  it('delivers an owned alert to its key only and an unowned one to admin connections; GET /alerts scopes by owner', async () => {
    const created = await getJson(`${sift.url}/admin/keys`, { method: 'POST', body: JSON.stringify({ name: 'reader', scopes: ['read'] }) });
    expect(created.status).toBe(201);
    const readerKey = created.body.key as string;
    const readerId = (created.body.id ?? created.body.keyId) as string;
    const admin = listen(TEST_ADMIN_KEY);
    const reader = listen(readerKey);
    await waitFor('sockets connected', () => admin.socket.connected && reader.socket.connected);
    const sink = sift.app.get<AlertSink>(ALERT_SINK);
    const owned = await sink.raise({ kind: 'budget', severity: 'warning', title: 'key budget 80 %', detail: { t: 80 }, ownerKeyId: readerId, onceKey: 'test:owned' });
    const ops = await sink.raise({ kind: 'system', severity: 'info', title: 'operators only', detail: {}, onceKey: 'test:ops' });
    expect((await sink.raise({ kind: 'system', severity: 'info', title: 'operators only', detail: {}, onceKey: 'test:ops' })).raised).toBe(false);
    await waitFor('alerts delivered', () => reader.got.length === 1 && admin.got.length === 1);
    expect(reader.got[0]!.id).toBe(owned.alert!.id);
    expect(admin.got[0]!.id).toBe(ops.alert!.id);
    const mine = await getJson(`${sift.url}/alerts`, { key: readerKey });
    expect(mine.status).toBe(200);
    expect(mine.body.alerts.map((a: Alert) => a.id)).toEqual([owned.alert!.id]);
    const all = await getJson(`${sift.url}/alerts`);
    expect(all.body.alerts.map((a: Alert) => a.id).sort()).toEqual([owned.alert!.id, ops.alert!.id].sort());
    expect((await getJson(`${sift.url}/alerts?limit=0`)).status).toBe(400);
  });
});
