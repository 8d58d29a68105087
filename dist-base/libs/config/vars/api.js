import { z } from 'zod';
import { int, list, oneOf } from '../fields.js';
import { spec } from '../spec.js';
/** The api role: HTTP surface. */
export const API_VARS = {
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
    API_AUTH: spec({
        schema: oneOf(['auto', 'required', 'off']),
        roles: ['api'],
        default: 'auto',
        description: 'required: every route but /health, /metrics and /docs needs an API key (header `Authorization: Bearer <key>` or `X-API-Key`), socket.io too. off: open API. auto: required, except in embedded mode (no DATABASE_URL) where it is off for a first look.',
    }),
    API_ADMIN_KEY: spec({
        schema: z.string().min(24, 'must be at least 24 characters'),
        roles: ['api'],
        secret: true,
        description: 'Bootstrap key with every scope, for creating the first keys via POST /admin/keys (or use `npm run keys:create`).',
    }),
    API_RATE_LIMIT_PER_MIN: spec({
        schema: int(1, 1_000_000),
        roles: ['api'],
        default: '600',
        description: 'Requests per minute per API key (a key may set its own). Counted in Redis when REDIS_URL is set, so the limit holds across api instances.',
    }),
    API_RATE_LIMIT_IP_PER_MIN: spec({
        schema: int(1, 1_000_000),
        roles: ['api'],
        default: '1200',
        description: 'Requests per minute per client IP, whatever the key.',
    }),
    API_SEARCH_RATE_LIMIT_PER_MIN: spec({
        schema: int(1, 1_000_000),
        roles: ['api'],
        default: '60',
        description: 'Tighter per-key budget for /search (it spends model compute).',
    }),
    API_SEARCH_EMBED_BUDGET_PER_MIN: spec({
        schema: int(0, 10_000_000),
        roles: ['api'],
        default: '1200',
        description: 'Global query embeddings per minute across all api instances; when spent, /search answers in keyword mode and says so.',
    }),
    API_SEARCH_MAX_CONCURRENT: spec({
        schema: int(1, 100),
        roles: ['api'],
        default: '3',
        description: 'Searches (/search, /events/:id/similar) run at once per api instance; a hybrid search holds up to two DB connections, so 2 × this must stay below DB_POOL_MAX and the rest of the pool stays free for other routes and health checks.',
    }),
    API_SEARCH_QUEUE_MAX: spec({
        schema: int(0, 10_000),
        roles: ['api'],
        default: '20',
        description: 'Searches that may wait for a free slot; past it a search gets 503 with Retry-After at once.',
    }),
    API_SEARCH_QUEUE_TIMEOUT_MS: spec({
        schema: int(0, 60_000),
        roles: ['api'],
        default: '2000',
        description: 'Longest a search waits for a free slot before it gets 503 with Retry-After.',
    }),
    API_TRUST_PROXY: spec({
        schema: z.string(),
        roles: ['api'],
        default: 'loopback',
        description: 'Express trust proxy setting: which hops may set X-Forwarded-For (per-IP limits use the client IP it yields).',
    }),
    SOCKET_RECOVERY_WINDOW_MS: spec({
        schema: int(0, 24 * 3600_000),
        roles: ['api'],
        default: '600000',
        description: 'A socket.io client that reconnects with `lastEventId` within this window gets what it missed (from Postgres), in order, once.',
    }),
    SOCKET_RECOVERY_MAX_EVENTS: spec({
        schema: int(0, 1_000_000),
        roles: ['api'],
        default: '20000',
        description: 'Most events replayed to one reconnecting client; past it the client is told recovery was incomplete.',
    }),
    SOCKET_MAX_BUFFERED_PACKETS: spec({
        schema: int(10, 1_000_000),
        roles: ['api'],
        default: '2000',
        description: 'A client whose unsent packets exceed this is told it is too slow and disconnected (server memory stays bounded).',
    }),
};
//# sourceMappingURL=api.js.map