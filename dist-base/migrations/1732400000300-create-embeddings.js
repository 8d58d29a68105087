/**
 * Vectors of every model in one table with a dimension-less vector column. Per-model HNSW
 * indexes (partial, with the column cast to that model's dims) are created when a model is
 * first registered, since dims are only known then.
 */
export class CreateEmbeddings1732400000300 {
    name = 'CreateEmbeddings1732400000300';
    async up(q) {
        await q.query(`CREATE TABLE "embedding_models" ("id" text NOT NULL, "dims" integer NOT NULL, "device" text NOT NULL, "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_active_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0326a8981277e9b65f1413e77ab" PRIMARY KEY ("id"))`);
        await q.query(`CREATE TABLE "embeddings" ("event_id" bigint NOT NULL, "model_id" text NOT NULL, "embedding" vector NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_caa4cdf1c9eb100c47b4b417974" PRIMARY KEY ("event_id", "model_id"))`);
        await q.query(`CREATE INDEX "idx_embeddings_model" ON "embeddings" ("model_id", "event_id")`);
    }
    async down(q) {
        await q.query(`DROP TABLE "embeddings"`);
        await q.query(`DROP TABLE "embedding_models"`);
    }
}
//# sourceMappingURL=1732400000300-create-embeddings.js.map