import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LLM budgets shared by every process. One ledger row per (scope, period, period start):
 * spent and reserved nano-USD and tokens against its caps. A call reserves its worst case on
 * every row it touches in one transaction whose UPDATE checks `spent + reserved + x <= cap`
 * under the row lock, so no interleaving of callers can overshoot. Each open reservation is a
 * row of llm_budget_reservations with an expiry, so one leaked by a killed process is freed.
 */
export class CreateLlmBudgetLedger1732400002110 implements MigrationInterface {
  name = 'CreateLlmBudgetLedger1732400002110';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "llm_budget_ledger" (
      "scope" text NOT NULL,
      "period" text NOT NULL,
      "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
      "cap_nano_usd" bigint,
      "cap_tokens" bigint,
      "spent_nano_usd" bigint NOT NULL DEFAULT 0,
      "spent_tokens" bigint NOT NULL DEFAULT 0,
      "reserved_nano_usd" bigint NOT NULL DEFAULT 0,
      "reserved_tokens" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_llm_budget_ledger" PRIMARY KEY ("scope", "period", "period_start"),
      CONSTRAINT "chk_llm_budget_period" CHECK ("period" IN ('minute', 'hour', 'day')),
      CONSTRAINT "chk_llm_budget_nonneg" CHECK ("reserved_nano_usd" >= 0 AND "reserved_tokens" >= 0))`);
    await q.query(`CREATE TABLE "llm_budget_reservations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "scope" text NOT NULL,
      "period" text NOT NULL,
      "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
      "nano_usd" bigint NOT NULL,
      "tokens" bigint NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_llm_budget_reservations" PRIMARY KEY ("id", "scope", "period", "period_start"))`);
    await q.query(`CREATE INDEX "idx_llm_budget_reservations_expiry" ON "llm_budget_reservations" ("expires_at")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "llm_budget_reservations"`);
    await q.query(`DROP TABLE "llm_budget_ledger"`);
  }
}
