/**
 * Mentions per entity, source and minute (database time of ingest), maintained incrementally at
 * ingest. The key leads with (entity, bucket) so one entity's baseline is a range scan; the bucket
 * index serves the short-window scan and retention.
 */
export class CreateEntityCounts1732400001300 {
    name = 'CreateEntityCounts1732400001300';
    async up(q) {
        await q.query(`CREATE TABLE "entity_counts" (
      "entity" text NOT NULL,
      "bucket" TIMESTAMP WITH TIME ZONE NOT NULL,
      "source" text NOT NULL,
      "count" integer NOT NULL,
      CONSTRAINT "pk_entity_counts" PRIMARY KEY ("entity", "bucket", "source"))`);
        await q.query(`CREATE INDEX "idx_entity_counts_bucket" ON "entity_counts" ("bucket")`);
    }
    async down(q) {
        await q.query(`DROP TABLE "entity_counts"`);
    }
}
//# sourceMappingURL=1732400001300-create-entity-counts.js.map