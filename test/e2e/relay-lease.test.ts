import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiftApp } from '../../src/bootstrap.js';
import { RelayService } from '../../src/relay/relay.service.js';
import { bootSift } from '../support/app.js';
import { createTestDatabase, query } from '../support/db.js';
import { waitFor } from '../support/wait.js';

describe('one relay per source across processes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const apps: SiftApp[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db?.drop();
  });

  it('a second relay stands by and takes over when the first stops, with nothing lost or doubled', async () => {
    const env = { DATABASE_URL: db.url, RELAY_SOURCES: JSON.stringify([{ name: 'demo', kind: 'replay', rate: 600 }]) };
    const first = await bootSift(env, 'relay');
    apps.push(first);
    await waitFor('first relay ingesting', async () => (await query(db.url, 'SELECT count(*)::int AS n FROM events'))[0].n > 100);
    const second = await bootSift(env, 'relay');
    apps.push(second);
    await new Promise((r) => setTimeout(r, 500));
    // The standby holds no source while the first is alive.
    expect(second.app.get(RelayService).status()).toEqual([]);
    expect(first.app.get(RelayService).status()[0]!.state).toBe('connected');
    await first.close();
    await waitFor('standby took over and finished the replay', async () => (await query(db.url, 'SELECT count(*)::int AS n FROM events'))[0].n === 2910, 60_000, 200);
    expect(second.app.get(RelayService).status()[0]!.name).toBe('demo');
    const [{ d }] = await query(db.url, 'SELECT (count(*) - count(DISTINCT source_event_id))::int AS d FROM events');
    expect(d).toBe(0);
  }, 90_000);
});
