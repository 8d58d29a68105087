import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model registry (src/models). `models` is one row per model folder that was registered,
 * keyed by its folder name; `model_id` is the id its vectors carry in `embeddings` (and the row
 * of `embedding_models`, which the embeddings module keeps for the vector index). At most one
 * row is `active` (partial unique index): that model answers queries. `model_switches` is the
 * audit of every status change; `model_drift` the history of drift windows.
 */
export class CreateModels1732400002300 implements MigrationInterface {
  name = 'CreateModels1732400002300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "models" (
      "name" text NOT NULL PRIMARY KEY,
      "model_id" text NOT NULL UNIQUE,
      "version" text NOT NULL,
      "dims" integer NOT NULL,
      "provider_kind" text NOT NULL,
      "checksum" text NOT NULL,
      "status" text NOT NULL DEFAULT 'candidate' CHECK ("status" IN ('candidate', 'active', 'retired')),
      "scores" jsonb,
      "scores_at" TIMESTAMP WITH TIME ZONE,
      "promotion_requested_at" TIMESTAMP WITH TIME ZONE,
      "promotion_requested_by" text,
      "promotion_forced" boolean NOT NULL DEFAULT false,
      "promoted_by" text,
      "promoted_at" TIMESTAMP WITH TIME ZONE,
      "demoted_at" TIMESTAMP WITH TIME ZONE,
      "reembed_after" bigint NOT NULL DEFAULT 0,
      "reembed_owner" text,
      "reembed_lease_until" TIMESTAMP WITH TIME ZONE,
      "reembed_done" bigint NOT NULL DEFAULT 0,
      "coverage" double precision,
      "coverage_at" TIMESTAMP WITH TIME ZONE,
      "drift_reference" jsonb,
      "drift_reference_at" TIMESTAMP WITH TIME ZONE,
      "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX "models_one_active" ON "models" ((true)) WHERE "status" = 'active'`);
    await q.query(`CREATE TABLE "model_switches" (
      "id" bigserial PRIMARY KEY,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "action" text NOT NULL,
      "model" text NOT NULL,
      "previous" text,
      "actor" text NOT NULL,
      "detail" jsonb NOT NULL DEFAULT '{}'
    )`);
    await q.query(`CREATE TABLE "model_drift" (
      "id" bigserial PRIMARY KEY,
      "model" text NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "window_size" integer NOT NULL,
      "centroid_shift" double precision NOT NULL,
      "drifted_dims_share" double precision NOT NULL,
      "mmd" double precision NOT NULL,
      "drifted" boolean NOT NULL,
      "streak" integer NOT NULL,
      "alerted" boolean NOT NULL DEFAULT false
    )`);
    await q.query(`CREATE INDEX "idx_model_drift_model_at" ON "model_drift" ("model", "id")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "model_drift"`);
    await q.query(`DROP TABLE "model_switches"`);
    await q.query(`DROP TABLE "models"`);
  }
}
