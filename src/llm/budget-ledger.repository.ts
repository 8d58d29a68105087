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
   * Reserves `nanoUsd` and `tokens` on every row, or on none. One transaction: frees expired
   * reservations, creates missing rows, locks the rows in a fixed order (no deadlock between
   * concurrent callers), then one UPDATE … WHERE spent + reserved + x <= cap … RETURNING. The
   * check runs under the row lock on the latest committed values, so concurrent callers in any
   * process cannot both fit into the last bit of a budget. Returns the rows after the reservation,
   * or the rows that refused it.
   */
  async reserve(
    id: string,
    rows: BudgetRow[],
    nanoUsd: bigint,
    tokens: bigint,
    ttlMs: number,
  ): Promise<{ ok: true; rows: LedgerState[] } | { ok: false; refused: LedgerState[] }> {
    // Byte order, the same as the ORDER BY … COLLATE "C" below, so every caller locks rows in one order.
    const key = (r: BudgetRow) => `${r.scope}\u0000${r.period}`;
    const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const scopes = sorted.map((r) => r.scope);
    const periods = sorted.map((r) => r.period);
    const starts = sorted.map((r) => r.periodStart.toISOString());
    const capsNano = sorted.map((r) => (r.capNanoUsd === null ? null : r.capNanoUsd.toString()));
    const capsTokens = sorted.map((r) => (r.capTokens === null ? null : r.capTokens.toString()));
    return this.db.withTransaction(async (tx) => {
      await this.expire(tx);
      await tx.query(
        `INSERT INTO llm_budget_ledger (scope, period, period_start, cap_nano_usd, cap_tokens)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[])
         ON CONFLICT (scope, period, period_start) DO NOTHING`,
        [scopes, periods, starts, capsNano, capsTokens],
      );
      const locked = await tx.query(
        `SELECT l.* FROM llm_budget_ledger l
           JOIN unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(scope, period, period_start)
             ON l.scope = k.scope AND l.period = k.period AND l.period_start = k.period_start
          ORDER BY l.scope COLLATE "C", l.period COLLATE "C" FOR UPDATE OF l`,
        [scopes, periods, starts],
      );
      const updated = await tx.query(
        // Caps come from this process's config (a changed cap applies at once, not next period).
        `UPDATE llm_budget_ledger l SET reserved_nano_usd = l.reserved_nano_usd + $4, reserved_tokens = l.reserved_tokens + $5,
                cap_nano_usd = k.cap_nano_usd, cap_tokens = k.cap_tokens
           FROM unnest($1::text[], $2::text[], $3::timestamptz[], $6::bigint[], $7::bigint[]) AS k(scope, period, period_start, cap_nano_usd, cap_tokens)
          WHERE l.scope = k.scope AND l.period = k.period AND l.period_start = k.period_start
            AND (k.cap_nano_usd IS NULL OR l.spent_nano_usd + l.reserved_nano_usd + $4 <= k.cap_nano_usd)
            AND (k.cap_tokens IS NULL OR l.spent_tokens + l.reserved_tokens + $5 <= k.cap_tokens)
          RETURNING l.*`,
        [scopes, periods, starts, nanoUsd.toString(), tokens.toString(), capsNano, capsTokens],
      );
      if (updated.length !== sorted.length) {
        const fitted = new Set(updated.map((r) => `${r.scope}|${r.period}`));
        // Throwing rolls back the partial reservation; the caught value carries the refusal.
        throw new RefusedReservation(locked.filter((r) => !fitted.has(`${r.scope}|${r.period}`)).map(toState));
      }
      await tx.query(
        `INSERT INTO llm_budget_reservations (id, scope, period, period_start, nano_usd, tokens, expires_at)
         SELECT $1, k.scope, k.period, k.period_start, $5, $6, now() + make_interval(secs => $7::double precision / 1000)
           FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS k(scope, period, period_start)`,
        [id, scopes, periods, starts, nanoUsd.toString(), tokens.toString(), ttlMs],
      );
      return { ok: true as const, rows: updated.map(toState) };
    }).catch((err) => {
      if (err instanceof RefusedReservation) return { ok: false as const, refused: err.refused };
      throw err;
    });
  }

  /**
   * Replaces reservation `id` by what was really spent (0 and 0 when the call failed unbilled).
   * A reservation that already expired is no longer held; the real spend is still charged.
   */
  async settle(id: string, rows: BudgetRow[], nanoUsd: bigint, tokens: bigint): Promise<LedgerState[]> {
    return this.db.withTransaction(async (tx) => {
      await tx.query(
        `WITH freed AS (DELETE FROM llm_budget_reservations WHERE id = $1 RETURNING scope, period, period_start, nano_usd, tokens)
         UPDATE llm_budget_ledger l SET reserved_nano_usd = l.reserved_nano_usd - f.nano_usd, reserved_tokens = l.reserved_tokens - f.tokens
           FROM freed f WHERE l.scope = f.scope AND l.period = f.period AND l.period_start = f.period_start`,
        [id],
      );
      if (nanoUsd === 0n && tokens === 0n) return [];
      return (
        await tx.query(
          `UPDATE llm_budget_ledger l SET spent_nano_usd = l.spent_nano_usd + $4, spent_tokens = l.spent_tokens + $5
             FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(scope, period, period_start)
            WHERE l.scope = k.scope AND l.period = k.period AND l.period_start = k.period_start
            RETURNING l.*`,
          [rows.map((r) => r.scope), rows.map((r) => r.period), rows.map((r) => r.periodStart.toISOString()), nanoUsd.toString(), tokens.toString()],
        )
      ).map(toState);
    });
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

class RefusedReservation extends Error {
  constructor(readonly refused: LedgerState[]) {
    super('budget reservation refused');
  }
}
