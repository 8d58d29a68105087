import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { SiftConfig } from '../../libs/config/index.js';
import { ALERT_SINK, type AlertSink } from '../../libs/contracts/alerts.js';
import type { Clock } from '../../libs/resilience/breakers.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { BudgetLedgerRepository, type BudgetRow, type LedgerState } from './budget-ledger.repository.js';

export const LLM_CLOCK = 'LLM_CLOCK';

/** Who a call is made for. Every call touches the global budget; a key or agent adds its own. */
export interface LlmScope {
  keyId?: string | null;
  agentId?: string | null;
}

export interface Reservation {
  id: string;
  rows: BudgetRow[];
}

const SPANS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const start = (now: number, period: keyof typeof SPANS) => new Date(Math.floor(now / SPANS[period]) * SPANS[period]);
const cap = (v: number) => (v > 0 ? BigInt(v) : null);

/**
 * The economic circuit breakers: per key (minute, day), per agent (day), global (hour, day), in
 * money and tokens. The one place a call's worst case is reserved before it goes out and settled
 * after; rows live in Postgres so every process shares them. Soft thresholds raise one alert per
 * threshold and period through the ALERT_SINK, whose unique once-key makes that hold across replicas.
 */
@Injectable()
export class LlmBudgets {
  private readonly log = new Logger('LlmBudgets');

  constructor(
    private readonly ledger: BudgetLedgerRepository,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Optional() @Inject(ALERT_SINK) private readonly alerts?: AlertSink,
    @Optional() @Inject(LLM_CLOCK) private readonly clock: Clock = Date.now,
  ) {}

  /** The ledger rows a call for `scope` touches, with their caps (null = tracked, not capped). */
  rowsFor(scope: LlmScope): BudgetRow[] {
    const c = this.cfg;
    const now = this.clock();
    const row = (s: string, period: keyof typeof SPANS, nano: number, tokens: number): BudgetRow => ({ scope: s, period, periodStart: start(now, period), capNanoUsd: cap(nano), capTokens: cap(tokens) });
    const rows = [row('global', 'hour', c.LLM_BUDGET_USD_PER_HOUR, 0), row('global', 'day', c.LLM_BUDGET_USD_PER_DAY, 0)];
    if (scope.keyId) rows.push(row(`key:${scope.keyId}`, 'minute', c.LLM_KEY_USD_PER_MIN, c.LLM_KEY_TOKENS_PER_MIN), row(`key:${scope.keyId}`, 'day', c.LLM_KEY_USD_PER_DAY, c.LLM_KEY_TOKENS_PER_DAY));
    if (scope.agentId) rows.push(row(`agent:${scope.agentId}`, 'day', c.LLM_AGENT_USD_PER_DAY, c.LLM_AGENT_TOKENS_PER_DAY));
    return rows;
  }

  /**
   * Reserves the worst case on every row or refuses with the reason. A paid call (`nanoUsd` > 0)
   * is also refused when the spend rate so far in an hour/day period projects past its cap.
   */
  async reserve(scope: LlmScope, nanoUsd: bigint, tokens: bigint): Promise<{ ok: true; reservation: Reservation } | { ok: false; reason: string }> {
    const rows = this.rowsFor(scope);
    const id = randomUUID();
    const r = await this.ledger.reserve(id, rows, nanoUsd, tokens, this.cfg.LLM_RESERVATION_TTL_MS);
    if (!r.ok) {
      const why = r.refused.map((s) => describe(s)).join('; ');
      for (const s of r.refused) await this.alert(s, 100, scope);
      return { ok: false, reason: `budget: ${why}` };
    }
    if (nanoUsd > 0n && this.cfg.LLM_BUDGET_PROJECTION) {
      const projected = r.rows.find((s) => projectsPast(s, this.clock()));
      if (projected) {
        await this.ledger.settle(id, rows, 0n, 0n);
        return { ok: false, reason: `budget: spend rate projects past the ${projected.scope} ${projected.period} cap` };
      }
    }
    return { ok: true, reservation: { id, rows } };
  }

  /** Settles with what was really billed (0/0 on a failed call), then checks the soft thresholds. */
  async settle(res: Reservation, nanoUsd: bigint, tokens: bigint, scope: LlmScope): Promise<void> {
    const after = await this.ledger.settle(res.id, res.rows, nanoUsd, tokens);
    for (const s of after) {
      const pct = percentSpent(s);
      for (const t of this.cfg.LLM_BUDGET_ALERT_THRESHOLDS) if (pct >= t) await this.alert(s, t, scope);
    }
  }

  private async alert(s: LedgerState, threshold: number, scope: LlmScope) {
    if (!this.alerts || (s.capNanoUsd === null && s.capTokens === null)) return;
    const owner = s.scope.startsWith('key:') ? (scope.keyId ?? null) : null;
    const onceKey = `budget:${s.scope}:${s.period}:${s.periodStart}:${threshold}`;
    await this.alerts
      .raise({
        kind: 'budget',
        severity: threshold >= 100 ? 'critical' : threshold >= 80 ? 'warning' : 'info',
        title: `LLM budget ${threshold} % spent (${s.scope}, ${s.period} from ${s.periodStart})`,
        detail: { scope: s.scope, period: s.period, periodStart: s.periodStart, threshold, spentNanoUsd: s.spentNanoUsd.toString(), capNanoUsd: s.capNanoUsd?.toString() ?? null, spentTokens: s.spentTokens.toString(), capTokens: s.capTokens?.toString() ?? null },
        ownerKeyId: owner,
        onceKey,
      })
      .catch((err) => this.log.error({ msg: 'budget alert not raised', onceKey, error: (err as Error).message }));
  }

  /** Ledger rows of the current periods, for GET /admin/llm. */
  async current(): Promise<LedgerState[]> {
    return this.ledger.current(new Date(Math.floor(this.clock() / SPANS.day) * SPANS.day));
  }
}

/** The larger of money and token share spent, in whole percent (floored). */
export function percentSpent(s: LedgerState): number {
  const shares: number[] = [];
  if (s.capNanoUsd) shares.push(Number((s.spentNanoUsd * 100n) / s.capNanoUsd));
  if (s.capTokens) shares.push(Number((s.spentTokens * 100n) / s.capTokens));
  return shares.length ? Math.max(...shares) : 0;
}

/** Spend so far in an hour/day period, extrapolated linearly to its end, exceeds the money cap (after 10 % of the period). */
export function projectsPast(s: LedgerState, now: number): boolean {
  if (!s.capNanoUsd || (s.period !== 'hour' && s.period !== 'day')) return false;
  const span = SPANS[s.period];
  const elapsed = now - Date.parse(s.periodStart);
  if (elapsed < span / 10) return false;
  const used = s.spentNanoUsd + s.reservedNanoUsd;
  return (used * BigInt(span)) / BigInt(Math.max(1, elapsed)) > s.capNanoUsd;
}

function describe(s: LedgerState): string {
  const money = s.capNanoUsd !== null ? ` $${(Number(s.spentNanoUsd + s.reservedNanoUsd) / 1e9).toFixed(6)} of $${(Number(s.capNanoUsd) / 1e9).toFixed(6)}` : '';
  const tokens = s.capTokens !== null ? ` ${s.spentTokens + s.reservedTokens} of ${s.capTokens} tokens` : '';
  return `${s.scope} ${s.period} budget would be exceeded (${(money + tokens).trim()} used or held)`;
}
