import { resolve } from 'node:path';
import { isEmbedded, queueDriverOf } from './load.js';
/** host[:port][/db] of a connection URL: never its credentials. */
function endpoint(url) {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname.length > 1 ? u.pathname : ''}`;
}
/** Where this process keeps its data, for humans (no password). */
export function describeDatabase(cfg) {
    return isEmbedded(cfg)
        ? `embedded PGlite at ${resolve(cfg.SIFT_DATA_DIR, 'pglite')} (a first look, not for production)`
        : `postgres ${endpoint(cfg.DATABASE_URL)}`;
}
export function describeQueue(cfg) {
    return queueDriverOf(cfg) === 'bullmq' ? `bullmq on redis ${endpoint(cfg.REDIS_URL)}` : 'in-process (jobs stay in this process)';
}
/**
 * The few lines printed once the server listens: what runs, on what, and where to look. `embeddings`
 * is left out for roles that load no model.
 */
export function startupSummary(cfg, opts) {
    const paths = [...(cfg.roles.includes('api') ? ['/docs'] : []), '/health/ready', '/metrics'];
    return [
        `sift listening on ${opts.url}`,
        `  roles       ${cfg.roles.join(', ')}`,
        `  database    ${describeDatabase(cfg)}`,
        `  queue       ${describeQueue(cfg)}`,
        ...(opts.embeddings === undefined ? [] : [`  embeddings  ${opts.embeddings}`]),
        `  open        ${paths.map((p) => opts.url + p).join('  ')}`,
    ].join('\n');
}
//# sourceMappingURL=summary.js.map