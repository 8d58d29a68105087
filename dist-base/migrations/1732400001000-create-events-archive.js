/**
 * The archive tier of events: same columns as `events` (id kept, no generated tsvector), range-
 * partitioned by day on `ingested_at` so retention drops whole partitions. The mover creates day
 * partitions ahead of time; the default partition catches anything else so an insert is never
 * refused. Not a TypeORM entity (TypeORM cannot model partitioned tables; the drift check never
 * looks at tables without an entity).
 *
 * The primary key must contain the partition key; (id, ingested_at) also makes a second copy of
 * the same moved row fail loudly, since a row's ingested_at never changes.
 */
export class CreateEventsArchive1732400001000 {
    name = 'CreateEventsArchive1732400001000';
    async up(q) {
        await q.query(`CREATE TABLE "events_archive" (
      "id" bigint NOT NULL,
      "source" text NOT NULL,
      "source_event_id" text NOT NULL,
      "author" text NOT NULL,
      "text" text NOT NULL,
      "entities" text array NOT NULL DEFAULT '{}',
      "lang" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_events_archive" PRIMARY KEY ("id", "ingested_at")
    ) PARTITION BY RANGE ("ingested_at")`);
        await q.query(`CREATE TABLE "events_archive_default" PARTITION OF "events_archive" DEFAULT`);
        // What the API filters on when a read reaches into the archive (time range, entity).
        await q.query(`CREATE INDEX "idx_events_archive_created_at" ON "events_archive" ("created_at", "id")`);
        await q.query(`CREATE INDEX "idx_events_archive_entities" ON "events_archive" USING gin ("entities")`);
    }
    async down(q) {
        await q.query(`DROP TABLE "events_archive"`);
    }
}
//# sourceMappingURL=1732400001000-create-events-archive.js.map