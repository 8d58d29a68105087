/**
 * Reads that span tiers: hot UNION ALL archive, with the columns of `events` plus `tier`. One
 * statement reads one snapshot and the mover moves a row in one transaction, so every row shows
 * up exactly once. Archive rows compute `text_tsv` on the fly (only when selected). Filters on
 * id, created_at, source, entities... are pushed into both branches by the planner.
 */
export class CreateEventsAllView1732400001200 {
    name = 'CreateEventsAllView1732400001200';
    async up(q) {
        await q.query(`CREATE VIEW "events_all" AS
      SELECT id, source, source_event_id, author, text, entities, lang, created_at, ingested_at, text_tsv, 'hot'::text AS tier
        FROM events
      UNION ALL
      SELECT id, source, source_event_id, author, text, entities, lang, created_at, ingested_at, to_tsvector('english', text) AS text_tsv, 'archive'::text AS tier
        FROM events_archive`);
    }
    async down(q) {
        await q.query(`DROP VIEW "events_all"`);
    }
}
//# sourceMappingURL=1732400001200-create-events-all-view.js.map