import { z } from 'zod';
import type { Role } from './roles.js';
import { bool, int, json, list, oneOf, url } from './fields.js';
import { sourcesList } from './sources.js';

/**
 * The one schema for every env var Sift reads. Each entry says which roles need it, its default
 * (as the string an operator would type), whether it is a secret, and what it does. Startup,
 * `npm run config:check`, `.env.example` and the README table are all generated from this.
 */
export interface VarSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  roles: readonly Role[] | 'all';
  default?: string;
  /** Needed (no default) by these roles. */
  required?: boolean;
  secret?: boolean;
  description: string;
}

const spec = <const V extends VarSpec>(s: V) => s;
const ALL = 'all' as const;

export const ENV_SCHEMA = {
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
    schema: oneOf(['json', 'pretty']),
    roles: ALL,
    default: 'json',
    description: 'json: one JSON object per line (production); pretty: human-readable lines.',
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
    required: true,
    secret: true,
    description: 'PostgreSQL (15+, with pgvector available) connection URL.',
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

  RELAY_SOURCES: spec({
    schema: json(sourcesList),
    roles: ['relay'],
    default: '[{"name":"demo","kind":"replay"}]',
    description: 'JSON list of sources, each {name, kind: jetstream|replay, ...}. See README "Sources".',
  }),
  RELAY_BATCH_SIZE: spec({ schema: int(1, 50_000), roles: ['relay'], default: '1000', description: 'Max events per database write.' }),
  RELAY_BATCH_LINGER_MS: spec({
    schema: int(0, 60_000),
    roles: ['relay'],
    default: '50',
    description: 'How long a partial batch waits for more events before it is written.',
  }),
  RELAY_BUFFER_MAX: spec({
    schema: int(100, 1_000_000),
    roles: ['relay'],
    default: '20000',
    description: 'Max events held in memory per source; when full the relay stops reading (backpressure).',
  }),
  RELAY_BACKOFF_BASE_MS: spec({ schema: int(10, 600_000), roles: ['relay'], default: '500', description: 'First reconnect delay (full jitter, doubling).' }),
  RELAY_BACKOFF_MAX_MS: spec({ schema: int(100, 3_600_000), roles: ['relay'], default: '60000', description: 'Cap on the reconnect delay.' }),
  RELAY_WATCHDOG_MS: spec({
    schema: int(500, 3_600_000),
    roles: ['relay'],
    default: '30000',
    description: 'No frame and no pong for this long means the connection is dead; reconnect.',
  }),
  RELAY_MAX_FRAME_BYTES: spec({
    schema: int(256, 16 * 1024 * 1024),
    roles: ['relay'],
    default: '65536',
    description: 'Frames larger than this are quarantined unparsed.',
  }),
  RELAY_CURSOR_OVERLAP_MS: spec({
    schema: int(0, 3_600_000),
    roles: ['relay'],
    default: '2000',
    description: 'On resume, ask the source for events from the stored cursor minus this overlap (dupes are dropped).',
  }),

  EMBEDDINGS_ENABLED: spec({
    schema: bool(),
    roles: ['api', 'worker'],
    default: 'true',
    description: 'false disables embeddings on purpose: /search uses keyword mode and readiness does not wait for a model.',
  }),
  EMBEDDINGS_MODEL_DIR: spec({
    schema: z.string().min(1),
    roles: ['api', 'worker'],
    default: 'models',
    description: 'Folder holding one sub-folder per model (model.onnx + tokenizer/vocab).',
  }),
  EMBEDDINGS_CHAIN: spec({
    schema: list().pipe(z.array(z.string().min(1)).min(1, 'must name at least one model')),
    roles: ['api', 'worker'],
    default: 'glove-100d',
    description: 'Comma list of model folders to try in order; the first that loads is active.',
  }),
  EMBED_BATCH_SIZE: spec({ schema: int(1, 4096), roles: ['worker'], default: '128', description: 'Events embedded per model run.' }),
  EMBED_CONCURRENCY: spec({ schema: int(1, 64), roles: ['worker'], default: '1', description: 'Embedding jobs run at once per worker.' }),
  EMBED_THREADS: spec({
    schema: int(1, 64),
    roles: ['api', 'worker'],
    default: '1',
    description: 'onnxruntime intra-op threads per model session.',
  }),

  API_CORS_ORIGINS: spec({
    schema: list(),
    roles: ['api'],
    default: '*',
    description: 'Comma list of allowed CORS origins, or * for any.',
  }),
  API_BODY_LIMIT: spec({
    schema: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb'),
    roles: ['api'],
    default: '100kb',
    description: 'Max request body size; larger bodies get 413.',
  }),
} satisfies Record<string, VarSpec>;

export type EnvName = keyof typeof ENV_SCHEMA;
type Out<K extends EnvName> = z.output<(typeof ENV_SCHEMA)[K]['schema']>;
type HasDefault<K extends EnvName> = (typeof ENV_SCHEMA)[K] extends { default: string } ? K : never;
type RequiredVar<K extends EnvName> = (typeof ENV_SCHEMA)[K] extends { required: true } ? K : never;

/** Resolved config. Vars with a default or marked required are always set for the roles that need them. */
export type SiftConfig = {
  [K in EnvName as K extends HasDefault<K> | RequiredVar<K> ? K : never]: Out<K>;
} & {
  [K in EnvName as K extends HasDefault<K> | RequiredVar<K> ? never : K]?: Out<K>;
} & { roles: Role[] };
