import { z } from 'zod';
import { bool, int, oneOf, url } from '../fields.js';
import { ALL, spec } from '../spec.js';
/** Process, HTTP, database and Redis: every role. */
export const CORE_VARS = {
    SIFT_ROLES: spec({
        schema: z.string(),
        roles: ALL,
        default: 'all',
        description: 'Roles this process runs: all, or a comma list of relay, api, worker. argv[2] overrides it.',
    }),
    SIFT_ENV_FILE: spec({
        schema: z.string(),
        roles: ALL,
        default: '.env',
        description: 'File of KEY=value defaults read at startup (vars already set win); "none" to skip. Only read by the entry point.',
    }),
    LOG_LEVEL: spec({
        schema: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
        roles: ALL,
        default: 'info',
        description: 'Minimum log level.',
    }),
    LOG_FORMAT: spec({
        schema: oneOf(['auto', 'json', 'pretty']),
        roles: ALL,
        default: 'auto',
        description: 'auto: pretty when stdout is a terminal, else json; json: one JSON object per line (production, log shippers); pretty: human-readable lines.',
    }),
    HOST: spec({ schema: z.string().min(1), roles: ALL, default: '0.0.0.0', description: 'Interface the HTTP server binds.' }),
    PORT: spec({
        schema: int(0, 65535),
        roles: ALL,
        default: '3000',
        description: 'HTTP port. The api role serves REST, /docs and socket.io here; every role serves /health and /metrics.',
    }),
    SHUTDOWN_DEADLINE_MS: spec({
        schema: int(1000, 600_000),
        roles: ALL,
        default: '25000',
        description: 'On SIGTERM, the process exits by this deadline even if draining is not finished.',
    }),
    DATABASE_URL: spec({
        schema: url(['postgres', 'postgresql']),
        roles: ALL,
        secret: true,
        description: 'PostgreSQL (15+, with pgvector available) connection URL. Unset with all roles in one process: embedded mode (PGlite under SIFT_DATA_DIR; for a first look, not for production).',
    }),
    SIFT_DATA_DIR: spec({
        schema: z.string().min(1),
        roles: ALL,
        default: 'data',
        description: 'Folder for embedded-mode state (PGlite database under <dir>/pglite). Unused when DATABASE_URL is set.',
    }),
    DB_POOL_MAX: spec({ schema: int(1, 200), roles: ALL, default: '10', description: 'Max connections in this process\'s pool.' }),
    DB_STATEMENT_TIMEOUT_MS: spec({
        schema: int(0, 3_600_000),
        roles: ALL,
        default: '15000',
        description: 'Postgres statement_timeout for pooled connections (0 = none); keeps slow queries from starving others.',
    }),
    DB_MIGRATIONS_RUN: spec({
        schema: bool(),
        roles: ALL,
        default: 'true',
        description: 'Apply pending migrations at startup (under an advisory lock, so concurrent boots apply them once).',
    }),
    REDIS_URL: spec({
        schema: url(['redis', 'rediss']),
        roles: ALL,
        secret: true,
        description: 'Redis URL. Carries jobs (BullMQ) and broadcasts between split containers. Unset: in-process jobs and broadcasts (single process only).',
    }),
    REDIS_KEY_PREFIX: spec({
        schema: z.string().regex(/^[a-zA-Z0-9:_-]{1,64}$/, 'must be 1-64 chars of letters, digits, : _ -'),
        roles: ALL,
        default: 'sift',
        description: 'Prefix for every Redis key and channel, so several Sift deployments can share one Redis.',
    }),
    QUEUE_DRIVER: spec({
        schema: oneOf(['auto', 'bullmq', 'inprocess']),
        roles: ALL,
        default: 'auto',
        description: 'Job driver: bullmq (needs REDIS_URL), inprocess (single process), or auto (bullmq when REDIS_URL is set).',
    }),
};
//# sourceMappingURL=core.js.map