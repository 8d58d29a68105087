export * from './data-source.js';
export * from './migrate.js';
export { startEmbeddedPostgres } from './embedded.js';
export { Db } from './db.js';
export { describeSchema } from './schema-snapshot.js';
//# sourceMappingURL=index.js.map