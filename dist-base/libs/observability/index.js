export * from './logger.js';
export * from './metrics.js';
//# sourceMappingURL=index.js.map