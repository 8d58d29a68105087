import type { SiftApp } from '../../src/bootstrap.js';
import { RelayService } from '../../src/relay/relay.service.js';
import { bootSift } from '../../test/support/app.js';
import { query } from '../../test/support/db.js';
import { JetstreamServer } from '../../test/support/jetstream-server.js';
import { PrivatePostgres } from '../../test/support/postgres-server.js';

/**
 * One Postgres fault against a running relay: a local Jetstream-protocol source streams at `rate`,
 * the relay stores into a PRIVATE Postgres cluster (never the shared :5432), the cluster is crashed
 * (kill -9 of the postmaster and its processes) or stopped for `downMs`, then started again; every
 * figure is counted against the source's own log of what it generated and sent.
 */
export interface PostgresFaultOptions {
  port: number;
  fault: 'kill' | 'stop';
  downMs: number;
  rate: number;
  /** Posts streamed before the fault (the stream goes on during it and after). */
  beforeMs: number;
  afterMs: number;
  /** The relay resumes from its stored cursor (a replaying source); false: starts live on reconnect. */
  resume: boolean;
  /** Cluster-wide settings, e.g. synchronous_commit=off (every commit asynchronous: the worst case). */
  pgSettings?: Record<string, string>;
  /** The source drops a connection that has not been read for this long (as the real Jetstream does). */
  slowConsumerDropMs?: number;
  relayEnv?: Record<string, string>;
  log?: (msg: string) => void;
}

export interface PostgresFaultResult {
  scenario: string;
  generatedPosts: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** Posts the relay acknowledged (stats.stored) before the crash that were not in the table after it. */
  acknowledgedThenUndone: number;
  /** Cursor in the table right after recovery vs the newest stored post's source time. */
  cursorAfterRecovery: string | null;
  newestStoredTimeUsAfterRecovery: number | null;
  /** Posts at or below the recovered cursor that are missing (must be 0: the cursor never points past what is stored). */
  missingBelowRecoveredCursor: number;
  gaps: number;
  connections: number;
  slowConsumerDrops: number;
  maxBuffered: number;
  recoveredInMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const q = query;

export async function runPostgresFault(o: PostgresFaultOptions): Promise<PostgresFaultResult> {
  const log = o.log ?? (() => undefined);
  const pgsrv = new PrivatePostgres(o.port, o.pgSettings);
  const total = Math.round((o.rate * (o.beforeMs + o.downMs + o.afterMs)) / 1000);
  const server = new JetstreamServer({ rate: o.rate, total, seed: 33, slowConsumerDropMs: o.slowConsumerDropMs });
  let sift: SiftApp | undefined;
  const source = `pg${o.fault}`;
  try {
    await pgsrv.start();
    await q(pgsrv.url(), 'CREATE DATABASE sift');
    const url = pgsrv.url('sift');
    await server.start();
    sift = await bootSift(
      {
        DATABASE_URL: url,
        RELAY_SOURCES: JSON.stringify([{ name: source, kind: 'jetstream', url: server.url, resume: o.resume }]),
        RELAY_BACKOFF_BASE_MS: '50',
        RELAY_BACKOFF_MAX_MS: '400',
        ...o.relayEnv,
      },
      'relay',
    );
    const relay = sift.app.get(RelayService);
    const status = () => relay.status()[0]!;
    const count = async () => (await q<{ n: number }>(url, `SELECT count(*)::int AS n FROM events`))[0]!.n;
    for (let i = 0; i < 200 && server.connections.length === 0; i++) await sleep(50);
    server.startStream();
    await sleep(o.beforeMs);

    const ackBefore = status().stats.stored;
    log(`${o.fault} postgres after ${ackBefore} acknowledged posts`);
    if (o.fault === 'kill') await pgsrv.kill();
    else await pgsrv.stop();
    const downAt = Date.now();
    let maxBuffered = 0;
    while (Date.now() - downAt < o.downMs) {
      maxBuffered = Math.max(maxBuffered, status().buffered);
      await sleep(50);
    }
    await pgsrv.start();
    // Read what survived before the relay writes again (it retries every few 100 ms at most 5 s).
    const [snap] = await q<{ n: number; newest: string | null; cursor: string | null }>(
      url,
      `SELECT (SELECT count(*)::int FROM events) AS n,
              (SELECT max(source_event_id) FROM events) AS newest,
              (SELECT cursor FROM source_cursors WHERE source = $1) AS cursor`,
      [source],
    );
    const storedIds = new Set((await q<{ id: string }>(url, `SELECT source_event_id AS id FROM events`)).map((r) => r.id));
    const survived = server.posts.filter((p) => storedIds.has(p.sourceEventId!));
    const newestSurvived = survived.length ? Math.max(...survived.map((p) => p.timeUs)) : null;
    const cursorUs = snap!.cursor ? Number(snap!.cursor) : null;
    const missingBelowCursor = cursorUs === null ? 0 : server.posts.filter((p) => p.timeUs <= cursorUs && !storedIds.has(p.sourceEventId!)).length;
    const acknowledgedThenUndone = Math.max(0, ackBefore - snap!.n);
    const upAt = Date.now();
    log(`postgres back after ${upAt - downAt} ms: ${snap!.n} rows survived, cursor ${snap!.cursor}`);

    // Wait until the source is done and the relay has caught up (or stopped making progress).
    let last = -1;
    let still = 0;
    let recoveredInMs = -1;
    for (;;) {
      maxBuffered = Math.max(maxBuffered, status().buffered);
      const n = await count();
      if (recoveredInMs < 0 && status().buffered === 0 && !pipelineFailing(relay)) recoveredInMs = Date.now() - upAt;
      if (!server.streaming && n === last && status().buffered === 0) {
        if (++still >= 10) break;
      } else still = 0;
      last = n;
      await sleep(200);
    }
    const rows = await q<{ id: string; n: number }>(url, `SELECT source_event_id AS id, count(*)::int AS n FROM events WHERE source = $1 GROUP BY source_event_id`, [source]);
    const byId = new Map(rows.map((r) => [r.id, r.n]));
    const posts = server.posts;
    const lost = posts.filter((p) => !byId.has(p.sourceEventId!)).length;
    const duplicated = rows.reduce((s, r) => s + (r.n - 1), 0);
    const gaps = (await q<{ n: number }>(url, `SELECT count(*)::int AS n FROM ingest_gaps WHERE source = $1`, [source]))[0]!.n;
    return {
      scenario: `${o.fault} ${o.downMs} ms, resume=${o.resume}${o.pgSettings ? `, ${JSON.stringify(o.pgSettings)}` : ''}${o.slowConsumerDropMs !== undefined ? `, source drops slow consumers after ${o.slowConsumerDropMs} ms` : ''}`,
      generatedPosts: posts.length,
      stored: rows.length,
      lost,
      duplicated,
      acknowledgedThenUndone,
      cursorAfterRecovery: snap!.cursor,
      newestStoredTimeUsAfterRecovery: newestSurvived,
      missingBelowRecoveredCursor: missingBelowCursor,
      gaps,
      connections: server.connections.length,
      slowConsumerDrops: server.slowConsumerDrops,
      maxBuffered,
      recoveredInMs,
    };
  } finally {
    await sift?.close().catch(() => undefined);
    await server.stop();
    await pgsrv.close();
  }
}

function pipelineFailing(relay: RelayService) {
  return [...relay.pipelines.values()].some((p) => p.pipeline.lastWriteError !== undefined);
}
