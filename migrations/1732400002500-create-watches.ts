import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Watches (saved queries that raise `watch` alerts) and the single evaluation cursor. The
 * trigger/cooldown state lives on the watch row so evaluation resumes after a crash; the query
 * vector is stored with the model id it came from, and recomputed when that model changes.
 */
export class CreateWatches1732400002500 implements MigrationInterface {
  name = 'CreateWatches1732400002500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "watches" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "owner_key_id" text,
      "name" text NOT NULL,
      "query" text NOT NULL,
      "mode" text NOT NULL,
      "entity" text,
      "source" text,
      "author" text,
      "min_similarity" real,
      "min_matches" integer NOT NULL DEFAULT 1,
      "window_ms" integer NOT NULL DEFAULT 60000,
      "cooldown_ms" integer NOT NULL DEFAULT 300000,
      "paused" boolean NOT NULL DEFAULT false,
      "query_vector" real[],
      "query_model_id" text,
      "window_start" TIMESTAMP WITH TIME ZONE,
      "window_count" integer NOT NULL DEFAULT 0,
      "last_fired_at" TIMESTAMP WITH TIME ZONE,
      "suppressed" integer NOT NULL DEFAULT 0,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_watches" PRIMARY KEY ("id"),
      CONSTRAINT "chk_watches_mode" CHECK ("mode" IN ('semantic', 'keyword', 'both')))`);
    await q.query(`CREATE INDEX "idx_watches_owner" ON "watches" ("owner_key_id")`);
    await q.query(`CREATE TABLE "watch_cursor" ("id" integer NOT NULL DEFAULT 1, "last_event_id" bigint NOT NULL DEFAULT 0, CONSTRAINT "PK_watch_cursor" PRIMARY KEY ("id"), CONSTRAINT "chk_watch_cursor_one" CHECK ("id" = 1))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "watch_cursor"`);
    await q.query(`DROP TABLE "watches"`);
  }
}
