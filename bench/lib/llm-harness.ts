import pg from 'pg';
import { LocalEventBus } from '../../libs/bus/event-bus.js';
import { loadConfig, type SiftConfig } from '../../libs/config/index.js';
import type { UsageRecord, UsageSink } from '../../libs/contracts/usage.js';
import { Db } from '../../libs/database/index.js';
import { AlertsRepository } from '../../src/alerts/alerts.repository.js';
import { AlertsService } from '../../src/alerts/alerts.service.js';
import { BudgetLedgerRepository } from '../../src/llm/budget-ledger.repository.js';
import { LlmBudgets } from '../../src/llm/llm-budgets.js';
import { LlmGateway } from '../../src/llm/llm.gateway.js';

/** Config for a gateway test: the worker role's validated config with LLM vars on top. */
export function llmConfig(dbUrl: string, env: Record<string, string>): SiftConfig {
  return loadConfig({ DATABASE_URL: dbUrl, LLM_BUDGET_PROJECTION: 'false', ...env }, 'worker');
}

/** A gateway over a real Postgres pool, a real alerts service and a recording usage sink. */
export function buildGateway(cfg: SiftConfig, opts: { clock?: () => number; sleeps?: number[] } = {}) {
  const pool = new pg.Pool({ connectionString: cfg.DATABASE_URL, max: 10 });
  const db = new Db(pool);
  const records: UsageRecord[] = [];
  const usage: UsageSink = { record: (r) => void records.push(r) };
  const bus = new LocalEventBus();
  const alerts = new AlertsService(new AlertsRepository(db), bus, cfg);
  alerts.sleep = async () => undefined;
  const clock = opts.clock ?? Date.now;
  const budgets = new LlmBudgets(new BudgetLedgerRepository(db), cfg, alerts, clock);
  const gateway = new LlmGateway(cfg, budgets, usage, clock, async (ms) => void opts.sleeps?.push(ms));
  return { gateway, budgets, alerts, bus, db, records, close: () => pool.end() };
}
