export * from './roles.js';
export * from './schema.js';
export * from './load.js';
export * from './sources.js';
export * from './summary.js';
export { renderEnvExample, renderEnvTable } from './env-docs.js';
//# sourceMappingURL=index.js.map