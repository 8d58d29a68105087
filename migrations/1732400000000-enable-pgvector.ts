import type { MigrationInterface, QueryRunner } from 'typeorm';

/** pgvector must exist before any table with a vector column. */
export class EnablePgvector1732400000000 implements MigrationInterface {
  name = 'EnablePgvector1732400000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS vector`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP EXTENSION IF EXISTS vector`);
  }
}
