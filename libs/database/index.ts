export * from './data-source.js';
export * from './migrate.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
export { Db, type DbClient, type HeldClient, type Sql, type Statement, type StatementTap } from './db.js';
export { describeSchema } from './schema-snapshot.js';
