import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage per API key: one row per (granularity, bucket, key, metric, dimension). Each flush adds
 * to the minute, hour and day rows in the same statement, so the rollups always equal the sum of
 * their minutes. key_id NULL is work done for no key (anonymous or internal); NULLS NOT DISTINCT
 * lets those rows be upserted like any other. key_id is text, not a uuid reference: API_ADMIN_KEY's
 * principal is `admin`, and usage outlives a deleted key.
 */
export class CreateUsageCounts1732400002200 implements MigrationInterface {
  name = 'CreateUsageCounts1732400002200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "usage_counts" (
      "granularity" text NOT NULL,
      "bucket" TIMESTAMP WITH TIME ZONE NOT NULL,
      "key_id" text,
      "metric" text NOT NULL,
      "dimension" text NOT NULL,
      "quantity" bigint NOT NULL,
      "cost_nano_usd" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "chk_usage_counts_granularity" CHECK ("granularity" IN ('minute', 'hour', 'day')),
      CONSTRAINT "uq_usage_counts" UNIQUE NULLS NOT DISTINCT ("granularity", "bucket", "key_id", "metric", "dimension"))`);
    // GET /usage reads one key's range; the unique index serves /admin/usage and retention.
    await q.query(`CREATE INDEX "idx_usage_counts_key" ON "usage_counts" ("key_id", "granularity", "bucket")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "usage_counts"`);
  }
}
