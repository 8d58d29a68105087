import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts raised by budgets, watches and drift. `once_key` is unique so "at most once per key"
 * (one alert per budget threshold and period) holds across every replica as a database fact.
 * The webhook delivery state lives on the row: a delivery that failed every attempt stays
 * `dead` here (the dead-letter list).
 */
export class CreateAlerts1732400002100 implements MigrationInterface {
  name = 'CreateAlerts1732400002100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "alerts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "kind" text NOT NULL,
      "severity" text NOT NULL,
      "title" text NOT NULL,
      "detail" jsonb NOT NULL DEFAULT '{}',
      "owner_key_id" text,
      "once_key" text,
      "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "webhook_state" text NOT NULL DEFAULT 'none',
      "webhook_attempts" integer NOT NULL DEFAULT 0,
      "webhook_error" text,
      CONSTRAINT "PK_alerts" PRIMARY KEY ("id"),
      CONSTRAINT "uq_alerts_once_key" UNIQUE ("once_key"),
      CONSTRAINT "chk_alerts_webhook_state" CHECK ("webhook_state" IN ('none', 'pending', 'delivered', 'dead')))`);
    await q.query(`CREATE INDEX "idx_alerts_owner" ON "alerts" ("owner_key_id", "raised_at")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "alerts"`);
  }
}
