import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, Db, runMigrationsLocked, startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { BudgetLedgerRepository, type BudgetRow } from '../../src/llm/budget-ledger.repository.js';
import { createTestDatabase, query } from '../support/db.js';

const DAY = new Date('2026-01-01T00:00:00Z');
const rowsFor = (capNano: bigint | null, capTokens: bigint | null): BudgetRow[] => [
  { scope: 'key:k', period: 'day', periodStart: DAY, capNanoUsd: capNano, capTokens },
  { scope: 'global', period: 'day', periodStart: DAY, capNanoUsd: null, capTokens: null },
];

async function migrate(url: string): Promise<void> {
  const ds = createDataSource({ url, migrations: MIGRATIONS });
  await ds.initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
}

describe('budget ledger: one-statement reserve and settle (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools: pg.Pool[] = [];
  const ledgerOn = () => {
    // A separate pool per "process": its own connections, no shared client-side state.
    const pool = new pg.Pool({ connectionString: db.url, max: 8 });
    pools.push(pool);
    return new BudgetLedgerRepository(new Db(pool));
  };

  beforeAll(async () => {
    db = await createTestDatabase('sift_ledger');
    await migrate(db.url);
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    // An ended client's backend can outlive end() for a moment; DROP … FORCE would then send it a
    // FATAL the closed client no longer listens for. Wait until only this query's backend is left.
    while ((await query(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`))[0].n > 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await db?.drop();
  });

  it('many concurrent callers on two pools never overshoot a cap, and every row is all-or-nothing', async () => {
    const a = ledgerOn();
    const b = ledgerOn();
    const cap = 1_000_000n;
    const each = 70_001n; // 14 fit (980 014), the 15th does not
    const callers = 60;
    const results = await Promise.all(
      Array.from({ length: callers }, (_, i) => (i % 2 ? a : b).reserve(randomUUID(), rowsFor(cap, null), each, 10n, 60_000)),
    );
    const fitted = results.filter((r) => r.ok).length;
    expect(fitted).toBe(14);
    for (const r of results) if (!r.ok) expect(r.refused.map((s) => s.scope)).toEqual(['key:k']);
    const rows = await query(db.url, `SELECT scope, reserved_nano_usd::text AS reserved, reserved_tokens::text AS tokens FROM llm_budget_ledger ORDER BY scope`);
    // The uncapped global row moved exactly as often as the capped row: no partial reservation.
    expect(rows).toEqual([
      { scope: 'global', reserved: String(BigInt(fitted) * each), tokens: String(fitted * 10) },
      { scope: 'key:k', reserved: String(BigInt(fitted) * each), tokens: String(fitted * 10) },
    ]);
    const [{ n }] = await query(db.url, `SELECT count(*)::int AS n FROM llm_budget_reservations`);
    expect(n).toBe(fitted * 2);
  });

  it('settle replaces the hold by the real spend in one step; a settled budget admits the next callers again', async () => {
    await query(db.url, 'TRUNCATE llm_budget_ledger, llm_budget_reservations');
    const a = ledgerOn();
    const b = ledgerOn();
    const cap = 500_000n;
    // Rounds of concurrent reserve → settle at less than the worst case, from both pools.
    let spent = 0n;
    for (let round = 0; round < 5; round++) {
      const held = await Promise.all(Array.from({ length: 20 }, (_, i) => {
        const id = randomUUID();
        return (i % 2 ? a : b).reserve(id, rowsFor(cap, null), 100_000n, 0n, 60_000).then((r) => ({ id, r }));
      }));
      await Promise.all(held.filter((h) => h.r.ok).map(async (h, i) => {
        const after = await (i % 2 ? a : b).settle(h.id, rowsFor(cap, null), 10_000n, 5n);
        expect(after.map((s) => s.scope).sort()).toEqual(['global', 'key:k']);
        spent += 10_000n;
      }));
      const [row] = await query(db.url, `SELECT spent_nano_usd::bigint AS spent, reserved_nano_usd::text AS reserved FROM llm_budget_ledger WHERE scope = 'key:k'`);
      expect(row.reserved).toBe('0');
      expect(BigInt(row.spent)).toBe(spent);
      expect(BigInt(row.spent)).toBeLessThanOrEqual(cap);
    }
    // An unbilled settle (0, 0) releases the hold and charges nothing.
    const id = randomUUID();
    expect((await a.reserve(id, rowsFor(cap, null), 1_000n, 0n, 60_000)).ok).toBe(true);
    expect(await a.settle(id, rowsFor(cap, null), 0n, 0n)).toEqual([]);
    const [row] = await query(db.url, `SELECT spent_nano_usd::bigint AS spent, reserved_nano_usd::text AS reserved FROM llm_budget_ledger WHERE scope = 'key:k'`);
    expect([BigInt(row.spent), row.reserved]).toEqual([spent, '0']);
  });

  it('an expired reservation is freed by the next reserve; settling it later still charges the real spend', async () => {
    await query(db.url, 'TRUNCATE llm_budget_ledger, llm_budget_reservations');
    const a = ledgerOn();
    const leaked = randomUUID();
    expect((await a.reserve(leaked, rowsFor(null, 1000n), 0n, 900n, 60_000)).ok).toBe(true);
    expect((await a.reserve(randomUUID(), rowsFor(null, 1000n), 0n, 200n, 60_000)).ok).toBe(false);
    await query(db.url, `UPDATE llm_budget_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [leaked]);
    const next = await a.reserve(randomUUID(), rowsFor(null, 1000n), 0n, 200n, 60_000);
    expect(next.ok).toBe(true);
    // The late settle of the expired hold frees nothing twice (reserved stays >= 0) and charges its spend.
    await a.settle(leaked, rowsFor(null, 1000n), 0n, 100n);
    const [row] = await query(db.url, `SELECT spent_tokens::text AS spent, reserved_tokens::text AS reserved FROM llm_budget_ledger WHERE scope = 'key:k'`);
    expect(row).toEqual({ spent: '100', reserved: '200' });
  });
});

describe('budget ledger on PGlite (embedded mode)', () => {
  let embedded: EmbeddedPostgres;
  let ds: DataSource;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sift-ledger-pglite-'));
    embedded = await startEmbeddedPostgres(dir);
    // As the app does in embedded mode: PGlite serves one session, so one pooled connection.
    ds = createDataSource({ url: embedded.url, migrations: MIGRATIONS, poolMax: 1 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' }); // as SchemaStateService does in embedded mode
  }, 120_000);
  afterAll(async () => {
    await ds?.destroy();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reserves, refuses past the cap, frees expired holds and settles', async () => {
    const ledger = new BudgetLedgerRepository(Db.of(ds));
    const first = randomUUID();
    const ok = await ledger.reserve(first, rowsFor(1_000n, null), 600n, 1n, 60_000);
    expect(ok.ok).toBe(true);
    const refused = await ledger.reserve(randomUUID(), rowsFor(1_000n, null), 600n, 1n, 60_000);
    expect(refused).toMatchObject({ ok: false, refused: [{ scope: 'key:k', reservedNanoUsd: 600n }] });
    await Db.of(ds).query(`UPDATE llm_budget_reservations SET expires_at = now() - interval '1 second'`);
    const second = randomUUID();
    expect((await ledger.reserve(second, rowsFor(1_000n, null), 600n, 1n, 60_000)).ok).toBe(true);
    const after = await ledger.settle(second, rowsFor(1_000n, null), 250n, 1n);
    const key = after.find((s) => s.scope === 'key:k')!;
    expect([key.spentNanoUsd, key.reservedNanoUsd]).toEqual([250n, 0n]);
  });
});
