import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyword search ranks by BM25, where a short post containing a common term outranks a long one.
 * When a query term is too common to rank every match, candidates are walked shortest-first on
 * this index (see EventsRepository.keywordMatches), so the best matches are not cut before
 * ranking (the old newest-first cap cut them).
 */
export class IndexEventsTsvLength1732400002000 implements MigrationInterface {
  name = 'IndexEventsTsvLength1732400002000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_events_tsv_length" ON "events" ((length("text_tsv")), "id")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_events_tsv_length"`);
  }
}
