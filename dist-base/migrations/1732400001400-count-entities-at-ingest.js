/**
 * A statement-level AFTER INSERT trigger on `events` upserts per-minute entity counts from the
 * transition table: counted exactly once with the insert, in its transaction, whoever inserts
 * (the relay's ON CONFLICT DO NOTHING leaves duplicates out of the transition table). Rows are
 * aggregated per statement (one upsert per entity/source/minute, not per event) and upserted in
 * key order so concurrent batches never deadlock. Existing events of the last 48 h are counted.
 */
export class CountEntitiesAtIngest1732400001400 {
    name = 'CountEntitiesAtIngest1732400001400';
    async up(q) {
        await q.query(`CREATE FUNCTION "sift_count_entities"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO entity_counts AS c (entity, bucket, source, count)
        SELECT ent, date_trunc('minute', n.ingested_at), n.source, count(*)::int
          FROM new_rows n CROSS JOIN LATERAL unnest(n.entities) AS ent
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (entity, bucket, source) DO UPDATE SET count = c.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
        await q.query(`CREATE TRIGGER "trg_events_count_entities" AFTER INSERT ON "events"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sift_count_entities"()`);
        await q.query(`INSERT INTO entity_counts (entity, bucket, source, count)
      SELECT ent, date_trunc('minute', e.ingested_at), e.source, count(*)::int
        FROM events e CROSS JOIN LATERAL unnest(e.entities) AS ent
       WHERE e.ingested_at >= now() - interval '48 hours'
       GROUP BY 1, 2, 3
      ON CONFLICT (entity, bucket, source) DO NOTHING`);
    }
    async down(q) {
        await q.query(`DROP TRIGGER "trg_events_count_entities" ON "events"`);
        await q.query(`DROP FUNCTION "sift_count_entities"()`);
        await q.query(`TRUNCATE "entity_counts"`);
    }
}
//# sourceMappingURL=1732400001400-count-entities-at-ingest.js.map