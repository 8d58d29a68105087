export * from './data-source.js';
export * from './migrate.js';
export { EventEntity } from './event.entity.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
