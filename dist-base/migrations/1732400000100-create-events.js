export class CreateEvents1732400000100 {
    name = 'CreateEvents1732400000100';
    async up(q) {
        await q.query(`CREATE TABLE "events" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "source" text NOT NULL,
      "source_event_id" text NOT NULL,
      "author" text NOT NULL,
      "text" text NOT NULL,
      "entities" text array NOT NULL DEFAULT '{}',
      "lang" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "text_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED NOT NULL,
      CONSTRAINT "uq_events_source_event" UNIQUE ("source", "source_event_id"),
      CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))`);
        // TypeORM compares generated-column expressions against this table in its drift check.
        await q.query(`CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`);
        await q.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), 'public', 'events', 'GENERATED_COLUMN', 'text_tsv', $1)`, ["to_tsvector('english', text)"]);
        await q.query(`CREATE INDEX "idx_events_ingested_at" ON "events" ("ingested_at")`);
        await q.query(`CREATE INDEX "idx_events_author" ON "events" ("author", "id")`);
        await q.query(`CREATE INDEX "idx_events_created_at" ON "events" ("created_at", "id")`);
        await q.query(`CREATE INDEX "idx_events_entities" ON "events" USING gin ("entities")`);
        await q.query(`CREATE INDEX "idx_events_text_tsv" ON "events" USING gin ("text_tsv")`);
    }
    async down(q) {
        await q.query(`DELETE FROM "typeorm_metadata" WHERE "table" = 'events' AND "name" = 'text_tsv'`);
        await q.query(`DROP TABLE "events"`);
    }
}
//# sourceMappingURL=1732400000100-create-events.js.map