/** pgvector must exist before any table with a vector column. */
export class EnablePgvector1732400000000 {
    name = 'EnablePgvector1732400000000';
    async up(q) {
        await q.query(`CREATE EXTENSION IF NOT EXISTS vector`);
    }
    async down(q) {
        await q.query(`DROP EXTENSION IF EXISTS vector`);
    }
}
//# sourceMappingURL=1732400000000-enable-pgvector.js.map