/**
 * Vectors of archived events when MOVER_ARCHIVE_VECTORS=true: no HNSW index (that stays with the
 * hot tier), partitioned by the event's ingested_at day like `events_archive`, so retention drops
 * the same days of both. Not a TypeORM entity (partitioned).
 */
export class CreateEmbeddingsArchive1732400001100 {
    name = 'CreateEmbeddingsArchive1732400001100';
    async up(q) {
        await q.query(`CREATE TABLE "embeddings_archive" (
      "event_id" bigint NOT NULL,
      "model_id" text NOT NULL,
      "embedding" vector NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "event_ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_embeddings_archive" PRIMARY KEY ("event_id", "model_id", "event_ingested_at")
    ) PARTITION BY RANGE ("event_ingested_at")`);
        await q.query(`CREATE TABLE "embeddings_archive_default" PARTITION OF "embeddings_archive" DEFAULT`);
    }
    async down(q) {
        await q.query(`DROP TABLE "embeddings_archive"`);
    }
}
//# sourceMappingURL=1732400001100-create-embeddings-archive.js.map