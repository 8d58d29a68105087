/** Relay bookkeeping: resume cursors, unrecoverable gaps, quarantined frames. */
export class CreateRelayTables1732400000200 {
    name = 'CreateRelayTables1732400000200';
    async up(q) {
        await q.query(`CREATE TABLE "source_cursors" ("source" text NOT NULL, "cursor" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aaca8887365774e8870cf5daf03" PRIMARY KEY ("source"))`);
        await q.query(`CREATE TABLE "ingest_gaps" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "source" text NOT NULL, "gap_start" TIMESTAMP WITH TIME ZONE NOT NULL, "gap_end" TIMESTAMP WITH TIME ZONE NOT NULL, "from_cursor" text, "to_cursor" text, "reason" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_232a9ab91a6b231c8fc935c02fe" PRIMARY KEY ("id"))`);
        await q.query(`CREATE INDEX "idx_ingest_gaps_source" ON "ingest_gaps" ("source", "id")`);
        await q.query(`CREATE TABLE "quarantine" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "source" text NOT NULL, "reason" text NOT NULL, "detail" text, "raw" bytea NOT NULL, "raw_size" integer NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c1cbd36649a09294e417ae639fa" PRIMARY KEY ("id"))`);
        await q.query(`CREATE INDEX "idx_quarantine_source" ON "quarantine" ("source", "id")`);
    }
    async down(q) {
        await q.query(`DROP TABLE "quarantine"`);
        await q.query(`DROP TABLE "ingest_gaps"`);
        await q.query(`DROP TABLE "source_cursors"`);
    }
}
//# sourceMappingURL=1732400000200-create-relay-tables.js.map