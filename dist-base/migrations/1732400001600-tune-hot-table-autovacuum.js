/**
 * The mover turns `events` and `embeddings` into churn tables: every row is inserted, then deleted
 * once it ages past the hot window. With the default thresholds (20 % of the table dead) the
 * space of moved rows is reused late and the hot table keeps growing for a long time; at 2 % (and
 * at least 1000 rows) autovacuum recycles it soon after each mover run, so the table stays at
 * about the size of the hot window. Storage parameters only: TypeORM does not model them.
 */
export class TuneHotTableAutovacuum1732400001600 {
    name = 'TuneHotTableAutovacuum1732400001600';
    async up(q) {
        for (const t of ['events', 'embeddings']) {
            await q.query(`ALTER TABLE "${t}" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000)`);
        }
    }
    async down(q) {
        for (const t of ['events', 'embeddings']) {
            await q.query(`ALTER TABLE "${t}" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)`);
        }
    }
}
//# sourceMappingURL=1732400001600-tune-hot-table-autovacuum.js.map