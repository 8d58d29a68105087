import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/database/index.js';

/** One budget row a call touches: e.g. scope `key:<id>`, period `day`, starting at a UTC midnight. */
export interface BudgetRow {
  scope: string;
  period: 'minute' | 'hour' | 'day';
  periodStart: Date;
  /** null: no money cap on this row. */
  capNanoUsd: bigint | null;
  capTokens: bigint | null;
}

export interface LedgerState {
  scope: string;
  period: string;
  periodStart: string;
  capNanoUsd: bigint | null;
  capTokens: bigint | null;
  spentNanoUsd: bigint;
  spentTokens: bigint;
  reservedNanoUsd: bigint;
  reservedTokens: bigint;
}

const toState = (r: Record<string, any>): LedgerState => ({
  scope: r.scope,
  period: r.period,
  periodStart: new Date(r.period_start).toISOString(),
  capNanoUsd: r.cap_nano_usd === null ? null : BigInt(r.cap_nano_usd),
  capTokens: r.cap_tokens === null ? null : BigInt(r.cap_tokens),
  spentNanoUsd: BigInt(r.spent_nano_usd),
  spentTokens: BigInt(r.spent_tokens),
  reservedNanoUsd: BigInt(r.reserved_nano_usd),
  reservedTokens: BigInt(r.reserved_tokens),
});

/** Every statement on `llm_budget_ledger` and `llm_budget_reservations` (owned by the llm module). */
@Injectable()
export class BudgetLedgerRepository {
  constructor(private readonly db: Db) {}

  /**
   * Reserves `nanoUsd` and `tokens` on every row, or on none, in ONE round trip: the plpgsql
   * function `llm_budget_reserve` (migration 1732400002800) frees expired reservations, creates
   * missing rows, locks the rows in a fixed byte order (no deadlock between concurrent callers),
   * checks spent + reserved + x <= cap under the lock on the latest committed values, and only
   * then reserves. Concurrent callers in any process cannot both fit into the last bit of a
   * budget. Returns the rows after the reservation, or the rows that refused it.
   */
  async reserve(
    id: string,
    rows: BudgetRow[],
    nanoUsd: bigint,
    tokens: bigint,
    ttlMs: number,
  ): Promise<{ ok: true; rows: LedgerState[] } | { ok: false; refused: LedgerState[] }> {
    // Byte order, the same as the ORDER BY … COLLATE "C" in the function, so every caller locks rows in one order.
    const key = (r: BudgetRow) => `${r.scope}\u0000${r.period}`;
    const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const result = await this.db.query(
      `SELECT * FROM llm_budget_reserve($1::uuid, $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint, $8::bigint, $9::double precision)`,
      [
        id,
        sorted.map((r) => r.scope),
        sorted.map((r) => r.period),
        sorted.map((r) => r.periodStart.toISOString()),
        sorted.map((r) => (r.capNanoUsd === null ? null : r.capNanoUsd.toString())),
        sorted.map((r) => (r.capTokens === null ? null : r.capTokens.toString())),
        nanoUsd.toString(),
        tokens.toString(),
        ttlMs,
      ],
    );
    if (result.some((r) => r.fitted === false)) return { ok: false, refused: result.map(toState) };
    return { ok: true, rows: result.map(toState) };
  }

  /**
   * Replaces reservation `id` by what was really spent (0 and 0 when the call failed unbilled),
   * in ONE statement: the reservation's rows are deleted and, in the same UPDATE of each ledger
   * row, its hold is released and the real spend charged (one UPDATE per row, so both changes
   * land together or not at all). A reservation that already expired is no longer held; the
   * real spend is still charged.
   */
  async settle(id: string, rows: BudgetRow[], nanoUsd: bigint, tokens: bigint): Promise<LedgerState[]> {
    const charging = nanoUsd !== 0n || tokens !== 0n;
    const updated = await this.db.query(
      `WITH freed AS (DELETE FROM llm_budget_reservations WHERE id = $1 RETURNING scope, period, period_start, nano_usd, tokens),
            charged AS (SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS k(scope, period, period_start) WHERE $7::boolean),
            changes AS (
              SELECT coalesce(c.scope, f.scope) AS scope, coalesce(c.period, f.period) AS period, coalesce(c.period_start, f.period_start) AS period_start,
                     coalesce(f.nano_usd, 0) AS freed_nano_usd, coalesce(f.tokens, 0) AS freed_tokens, c.scope IS NOT NULL AS charged
                FROM charged c FULL JOIN freed f ON c.scope = f.scope AND c.period = f.period AND c.period_start = f.period_start)
       UPDATE llm_budget_ledger l
          SET reserved_nano_usd = l.reserved_nano_usd - x.freed_nano_usd, reserved_tokens = l.reserved_tokens - x.freed_tokens,
              spent_nano_usd = l.spent_nano_usd + CASE WHEN x.charged THEN $5::bigint ELSE 0 END,
              spent_tokens = l.spent_tokens + CASE WHEN x.charged THEN $6::bigint ELSE 0 END
         FROM changes x WHERE l.scope = x.scope AND l.period = x.period AND l.period_start = x.period_start
       RETURNING l.*, x.charged`,
      [id, rows.map((r) => r.scope), rows.map((r) => r.period), rows.map((r) => r.periodStart.toISOString()), nanoUsd.toString(), tokens.toString(), charging],
    );
    return updated.filter((r) => r.charged).map(toState);
  }

  /** Frees reservations whose process never settled them (killed mid-call). */
  async expire(sql: { query: Db['query'] } = this.db): Promise<number> {
    const rows = await sql.query(
      `WITH gone AS (DELETE FROM llm_budget_reservations WHERE expires_at < now() RETURNING scope, period, period_start, nano_usd, tokens),
            sums AS (SELECT scope, period, period_start, sum(nano_usd) AS nano_usd, sum(tokens) AS tokens FROM gone GROUP BY 1, 2, 3)
       UPDATE llm_budget_ledger l SET reserved_nano_usd = l.reserved_nano_usd - s.nano_usd, reserved_tokens = l.reserved_tokens - s.tokens
         FROM sums s WHERE l.scope = s.scope AND l.period = s.period AND l.period_start = s.period_start
       RETURNING l.scope`,
    );
    return rows.length;
  }

  /** Current rows (periods starting at or after `since`), for GET /admin/llm. */
  async current(since: Date, limit = 500): Promise<LedgerState[]> {
    const rows = await this.db.query(`SELECT * FROM llm_budget_ledger WHERE period_start >= $1 ORDER BY scope, period, period_start DESC LIMIT $2`, [since.toISOString(), limit]);
    return rows.map(toState);
  }
}
