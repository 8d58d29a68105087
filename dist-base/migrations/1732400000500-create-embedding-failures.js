/** Events a model could not embed, parked with the error instead of retried forever. */
export class CreateEmbeddingFailures1732400000500 {
    name = 'CreateEmbeddingFailures1732400000500';
    async up(q) {
        await q.query(`CREATE TABLE "embedding_failures" ("event_id" bigint NOT NULL, "model_id" text NOT NULL, "error" text NOT NULL, "attempts" integer NOT NULL DEFAULT 1, "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_embedding_failures" PRIMARY KEY ("event_id", "model_id"))`);
    }
    async down(q) {
        await q.query(`DROP TABLE "embedding_failures"`);
    }
}
//# sourceMappingURL=1732400000500-create-embedding-failures.js.map