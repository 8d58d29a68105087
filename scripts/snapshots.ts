import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { SiftEvent } from '../libs/contracts/event.js';
import { createDataSource, Db, describeSchema, runMigrationsLocked } from '../libs/database/index.js';
import { ApiKeysRepository } from '../src/api/auth/api-keys.repository.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { ModelsRepository } from '../src/models/models.repository.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { MomentumRepository } from '../src/momentum/momentum.repository.js';
import { RelayRepository } from '../src/relay/relay.repository.js';
import { MIGRATIONS, SCHEMA_SNAPSHOT_FILE } from '../src/schema.js';
import { UsageRepository } from '../src/usage/usage.repository.js';
import { AlertsRepository } from '../src/alerts/alerts.repository.js';
import { WatchesRepository } from '../src/watches/watches.repository.js';
import { BudgetLedgerRepository, type BudgetRow } from '../src/llm/budget-ledger.repository.js';

/**
 * `npm run snapshots`: migrates a scratch database from empty, writes its schema to
 * migrations/schema.snapshot.sql, then calls every repository method with sample arguments and
 * writes the statements each one sent to sql/<repository>.sql (the habit of immich's
 * server/src/queries). A reviewer sees every statement on a table in one file, and a diff shows
 * every query change. `-- --check`: writes nothing, exits 1 if any file is stale (CI runs this).
 * A repository method with no sample call here fails the run, so the snapshot stays complete.
 */
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const check = process.argv.includes('--check');

/** Methods that are private helpers (their statements are recorded under their callers). */
const INTERNAL = new Set(['constructor', 'insertTx', 'inDdlTransaction', 'vectorOid']);

type Calls = Record<string, () => Promise<unknown>>;

const sampleEvents = (n: number, tag: string): SiftEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'snap',
    sourceEventId: `${tag}-${i}`,
    author: `did:plc:author${i % 3}`,
    text: `sample post ${i} about $btc and #ai`,
    entities: ['$btc', '#ai'],
    lang: 'en',
    createdAt: new Date('2026-01-01T00:00:00Z'),
  }));

async function main() {
  const name = `sift_snapshots_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const ds = createDataSource({ url: url.toString(), migrations: MIGRATIONS, poolMax: 4, statementTimeoutMs: 0 });
  const stale: string[] = [];
  const emit = (file: string, text: string) => {
    let old = '';
    try {
      old = readFileSync(file, 'utf8');
    } catch {
      // missing: stale
    }
    if (old === text) return;
    if (check) stale.push(file);
    else writeFileSync(file, text);
  };
  try {
    await ds.initialize();
    await runMigrationsLocked(ds);
    const db = Db.of(ds);
    emit(SCHEMA_SNAPSHOT_FILE, await describeSchema(db));

    const events = new EventsRepository(db);
    const embeddings = new EmbeddingsRepository(db);
    const registry = new ModelsRepository(db);
    const relay = new RelayRepository(db);
    const keys = new ApiKeysRepository(db);
    const usage = new UsageRepository(db);
    const alerts = new AlertsRepository(db);
    const watches = new WatchesRepository(db);
    const ledger = new BudgetLedgerRepository(db);
    const budgetRows: BudgetRow[] = [
      { scope: 'global', period: 'day', periodStart: new Date('2026-01-01T00:00:00Z'), capNanoUsd: 1_000_000_000n, capTokens: null },
      { scope: 'key:k1', period: 'minute', periodStart: new Date('2026-01-01T00:00:00Z'), capNanoUsd: null, capTokens: 1000n },
    ];
    const model = { id: 'snapshot@1', dims: 3, device: 'cpu' };
    const vec = Float32Array.from([0.1, 0.2, 0.3]);
    const since = new Date('2025-01-01T00:00:00Z');

    const repositories: { file: string; target: object; calls: Calls }[] = [
      {
        file: 'events.repository.sql',
        target: EventsRepository.prototype,
        calls: {
          writeBatch: async () => {
            await events.writeBatch('snap', sampleEvents(3, 'a'), 'cursor-1');
            await events.writeBatch('snap', sampleEvents(4, 'a'), 'cursor-2'); // a replay: duplicates → ON CONFLICT
            await events.writeBatch('snap', [], 'cursor-3');
          },
          writeBatchAfter: async () => {
            await events.writeBatchAfter('snap', sampleEvents(2, 'b'), 'cursor-4', 'cursor-3');
            await events.writeBatchAfter('snap', [], 'cursor-5', 'cursor-4');
          },
          list: () => events.list({ source: 'snap', author: 'did:plc:author1', entity: '$btc', contains: 'post', since, until: new Date(), beforeId: '1000', limit: 10 }),
          missedSince: () => events.missedSince('0', [{ source: 'snap', entity: '$btc' }, { author: 'did:plc:author1' }], 600_000, 100),
          byIds: () => events.byIds(['1', '2']),
          keywordTermFrequencies: () => events.keywordTermFrequencies('bitcoin rates rising again', 96, 10_000, new Map([['bitcoin', 1200]])),
          keywordCorpusStats: () => events.keywordCorpusStats(),
          keywordMatches: () =>
            events.keywordMatches(
              { terms: [{ lexeme: 'bitcoin', idf: 2.1 }, { lexeme: 'rate', idf: 1.3 }], rankAll: ['bitcoin'], walkShortest: 1000, walkLengthIndex: true, filter: '"interest rates" -doge', k1: 1.2, b: 0.75, avgTokens: 12 },
              { since, source: 'snap' },
              10,
            ),
          textsWithoutVector: () => events.textsWithoutVector(model.id, ['1', '2']),
          idsWithoutVector: () => events.idsWithoutVector(model.id, 100, '0'),
          vectorCoverage: () => events.vectorCoverage(model.id),
          moveBatch: async () => {
            await events.moveBatch({ hotWindowMs: 3_600_000, batchSize: 100, after: null, archiveVectors: false });
            await events.moveBatch({ hotWindowMs: 3_600_000, batchSize: 100, after: '2026-01-01 00:00:00+00', archiveVectors: true });
          },
          sweepOrphanVectors: async () => {
            await events.sweepOrphanVectors(false);
            await events.sweepOrphanVectors(true);
          },
          listArchivePartitions: () => events.listArchivePartitions(),
          databaseDays: () => events.databaseDays(),
          createArchiveDayPartitions: () => events.createArchiveDayPartitions('2026-01-01'),
          dropArchivePartitionsBefore: () => events.dropArchivePartitionsBefore('2026-01-02'),
          purgeArchiveDefaults: () => events.purgeArchiveDefaults('2026-01-01 00:00:00+00'),
          hotTableTuples: () => events.hotTableTuples(),
          vacuumHotTable: () => events.vacuumHotTable(),
          oldestHotAgeSeconds: async () => {
            await events.oldestHotAgeSeconds(null);
            await events.oldestHotAgeSeconds('2026-01-01 00:00:00+00');
          },
        },
      },
      {
        file: 'embeddings.repository.sql',
        target: EmbeddingsRepository.prototype,
        calls: {
          registerModel: () => embeddings.registerModel(model, { m: 16, efConstruction: 64 }),
          write: () => embeddings.write(model.id, [{ eventId: '1', vector: vec }]),
          recordFailures: () => embeddings.recordFailures(model.id, [{ eventId: '2', error: 'too long' }]),
          nearest: async () => {
            await embeddings.nearest(model, vec, 10, { efSearch: 100 });
            await embeddings.nearest(model, vec, 10, { efSearch: 100, since, source: 'snap', excludeId: '1' });
          },
          vectorOf: () => embeddings.vectorOf(model.id, '1'),
          recentVectors: () => embeddings.recentVectors(model.id, 10),
          eventsWithVectorsAfter: () => embeddings.eventsWithVectorsAfter(model.id, '0', 10),
          dropModel: () => embeddings.dropModel('snapshot-retired@1'),
        },
      },
      {
        file: 'models.repository.sql',
        target: ModelsRepository.prototype,
        calls: {
          register: async () => {
            await registry.register({ name: 'snap-a', modelId: model.id, version: '1', dims: 3, providerKind: 'glove', checksum: 'abc' });
            await registry.register({ name: 'snap-b', modelId: 'snapshot@2', version: '2', dims: 3, providerKind: 'glove', checksum: 'def' });
          },
          activateIfNone: () => registry.activateIfNone('snap-a', 'snapshot'),
          list: () => registry.list(),
          byName: () => registry.byName('snap-a'),
          active: () => registry.active(),
          setScores: () => registry.setScores('snap-b', { hybrid: { ndcg10: 0.5 } }),
          requestPromotion: () => registry.requestPromotion('snap-b', 'snapshot', false, { gate: 'passed' }),
          promoting: () => registry.promoting(),
          claimReembed: () => registry.claimReembed('snap-b', 'snap-worker', 1000),
          advanceReembed: () => registry.advanceReembed('snap-b', 'snap-worker', '10', 10, 1000),
          setCoverage: () => registry.setCoverage('snap-b', 0.5),
          switchActive: () => registry.switchActive('snap-b', 'snapshot', 'switch', { coverage: 1 }),
          previousActive: () => registry.previousActive(),
          retire: () => registry.retire('snap-a', 'snapshot'),
          switches: () => registry.switches(10),
          setDriftReference: async () => {
            await registry.setDriftReference('snap-b', { n: 2, dims: 3, mean: [0, 0, 0], variance: [1, 1, 1], rff: [0], seed: 1 });
            await registry.setDriftReference('snap-a', null);
          },
          driftReference: () => registry.driftReference('snap-b'),
          recordDrift: () => registry.recordDrift({ model: 'snap-b', windowSize: 2, stats: { centroidShift: 0, driftedDimsShare: 0, mmd: 0 }, drifted: false, streak: 0, alerted: false }),
          driftHistory: async () => {
            await registry.driftHistory('snap-b', 10);
            await registry.driftHistory(null, 10);
          },
        },
      },
      {
        file: 'relay.repository.sql',
        target: RelayRepository.prototype,
        calls: {
          cursor: () => relay.cursor('snap'),
          quarantine: () => relay.quarantine('snap', [{ reason: 'not_json', detail: 'Unexpected token', raw: Buffer.from('{'), size: 1 }]),
          recordGap: () => relay.recordGap({ source: 'snap', gapStart: since, gapEnd: new Date(), fromCursor: 'a', toCursor: 'b', reason: 'cursor ignored' }),
          sources: () => relay.sources(),
          gaps: async () => {
            await relay.gaps('snap', undefined, 10);
            await relay.gaps('snap', '100', 10);
          },
        },
      },
      {
        file: 'api-keys.repository.sql',
        target: ApiKeysRepository.prototype,
        calls: {
          create: () => keys.create({ name: 'snapshot', scopes: ['read'] }),
          list: () => keys.list(),
          revoke: () => keys.revoke('00000000-0000-0000-0000-000000000000'),
          useByHash: () => keys.useByHash('0'.repeat(64)),
        },
      },
      {
        file: 'momentum.repository.sql',
        target: MomentumRepository,
        calls: {
          windowCounts: () => MomentumRepository.windowCounts(db, { shortMinutes: 10, baselineMinutes: 360, minCount: 5 }, { source: 'snap', kind: 'cashtag' }),
          sparklines: () => MomentumRepository.sparklines(db, ['$btc'], 30, { source: 'snap' }),
          series: () => MomentumRepository.series(db, '$btc', 360, 5, { source: 'snap' }),
          latestSnapshot: () => MomentumRepository.latestSnapshot(db),
          insertSnapshot: () => MomentumRepository.insertSnapshot(db, { shortWindowMinutes: 10, baselineMinutes: 360, items: [], changes: { entered: [], left: [], crossed: [] } }),
          deleteOlderThan: () => MomentumRepository.deleteOlderThan(db, 48 * 3_600_000, 24 * 3_600_000),
        },
      },
      {
        file: 'usage.repository.sql',
        target: UsageRepository.prototype,
        calls: {
          add: () =>
            usage.add([
              { keyId: null, minuteMs: Date.parse('2026-01-01T00:00:00Z'), metric: 'http_requests', dimension: 'GET /events 2xx', quantity: 3, costNanoUsd: 0n },
              { keyId: '00000000-0000-0000-0000-000000000000', minuteMs: Date.parse('2026-01-01T00:01:00Z'), metric: 'llm_tokens_in', dimension: 'local', quantity: 120, costNanoUsd: 36_000n },
            ]),
          rows: async () => {
            await usage.rows({ granularity: 'minute', from: since, to: new Date('2026-02-01T00:00:00Z'), keyId: '00000000-0000-0000-0000-000000000000' }, 100);
            await usage.rows({ granularity: 'hour', from: since, to: new Date('2026-02-01T00:00:00Z'), keyId: null }, 100);
            await usage.rows({ granularity: 'day', from: since, to: new Date('2026-02-01T00:00:00Z') }, 100);
          },
          totals: () => usage.totals({ granularity: 'hour', from: since, to: new Date('2026-02-01T00:00:00Z') }),
          deleteOlderThan: () => usage.deleteOlderThan('minute', 7 * 86_400_000),
        },
      },
      {
        file: 'alerts.repository.sql',
        target: AlertsRepository.prototype,
        calls: {
          insertOnce: async () => {
            const a = await alerts.insertOnce({ kind: 'budget', severity: 'warning', title: 'snapshot', detail: {}, onceKey: 'snap:1' }, true);
            await alerts.webhookAttempt(a!.id, 'delivered', null);
          },
          webhookAttempt: () => alerts.webhookAttempt('00000000-0000-0000-0000-000000000000', 'dead', 'snapshot'),
          list: async () => {
            await alerts.list({ limit: 10 });
            await alerts.list({ ownerKeyId: 'k1', limit: 10, before: new Date('2026-02-01T00:00:00Z') });
            await alerts.list({ ownerKeyId: null, limit: 10 });
          },
        },
      },
      {
        file: 'watches.repository.sql',
        target: WatchesRepository.prototype,
        calls: {
          create: async () => {
            const w = await watches.create('k1', { name: 'snap', query: 'power outage', mode: 'both', entity: null, source: 's', author: null, minSimilarity: 0.5, minMatches: 3, windowMs: 60_000, cooldownMs: 300_000 }, { modelId: model.id, vector: vec });
            await watches.setPaused(w.id, true);
            await watches.remove(w.id);
          },
          list: async () => {
            await watches.list();
            await watches.list('k1');
          },
          byId: () => watches.byId('00000000-0000-0000-0000-000000000000'),
          remove: () => watches.remove('00000000-0000-0000-0000-000000000000'),
          setPaused: () => watches.setPaused('00000000-0000-0000-0000-000000000000', false),
          active: () => watches.active(),
          setQueryVectors: () => watches.setQueryVectors(model.id, [{ id: '00000000-0000-0000-0000-000000000000', vector: vec }]),
          cursor: () => watches.cursor(),
          commitBatch: () => watches.commitBatch('5', [{ id: '00000000-0000-0000-0000-000000000000', windowStart: since, windowCount: 2, lastFiredAt: null, suppressed: 0 }]),
        },
      },
      {
        file: 'budget-ledger.repository.sql',
        target: BudgetLedgerRepository.prototype,
        calls: {
          reserve: async () => {
            await ledger.reserve('00000000-0000-0000-0000-000000000001', budgetRows, 1000n, 10n, 60_000);
            await ledger.reserve('00000000-0000-0000-0000-000000000002', budgetRows, 10n ** 12n, 10n, 60_000); // refused
          },
          settle: () => ledger.settle('00000000-0000-0000-0000-000000000001', budgetRows, 500n, 5n),
          expire: () => ledger.expire(),
          current: () => ledger.current(new Date('2025-12-31T00:00:00Z')),
        },
      },
    ];

    mkdirSync('sql', { recursive: true });
    for (const r of repositories) {
      const methods = Object.getOwnPropertyNames(r.target).filter((m) => typeof (r.target as Record<string, unknown>)[m] === 'function' && !INTERNAL.has(m) && !['length', 'name', 'prototype'].includes(m));
      const missing = methods.filter((m) => !(m in r.calls));
      if (missing.length) throw new Error(`${r.file}: no sample call for ${missing.join(', ')} (add one in scripts/snapshots.ts)`);
      const parts = [`-- Generated by \`npm run snapshots\`: every statement this repository sends, by method. Do not edit.\n`];
      for (const [method, call] of Object.entries(r.calls)) {
        const seen: string[] = [];
        db.tap = (text) => {
          const t = text.split('\n').map((l) => l.trimEnd()).join('\n').trim();
          if (!seen.includes(t)) seen.push(t);
        };
        await call().catch((err) => {
          // A sample that fails on purpose (none should) would still show its statements; say so.
          throw new Error(`${r.file} ${method}: ${(err as Error).message}`);
        });
        db.tap = undefined;
        parts.push(`-- ${method}`, ...seen.map((s) => `${s};\n`));
      }
      emit(join('sql', r.file), parts.join('\n'));
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  if (stale.length) {
    process.stderr.write(`stale snapshots (run \`npm run snapshots\` and commit the result):\n${stale.map((f) => `  ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(check ? 'snapshots are up to date\n' : 'snapshots written\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
