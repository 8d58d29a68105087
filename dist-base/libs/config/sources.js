import { z } from 'zod';
const name = z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'source name must be 1-32 chars of a-z, 0-9, _ or -, starting with a letter');
const wsUrl = z
    .string()
    .refine((s) => /^wss?:\/\//.test(s) && URL.canParse(s), 'must be a ws:// or wss:// URL')
    .transform((s) => s.replace(/\/+$/, ''));
export const jetstreamSource = z.object({
    name,
    kind: z.literal('jetstream'),
    url: wsUrl,
    collections: z.array(z.string()).default(['app.bsky.feed.post']),
    /** Ask the server to resume from the stored cursor on reconnect. */
    resume: z.boolean().default(true),
});
export const replaySource = z.object({
    name,
    kind: z.literal('replay'),
    /** NDJSON of Jetstream frames, replayed by an in-process WebSocket server. */
    file: z.string().default('data/sample-posts.ndjson'),
    /** Frames per second; 0 = as fast as the relay reads. */
    rate: z.number().min(0).max(1_000_000).default(200),
    /** Start over (with fresh ids) when the file ends, for a demo that never goes quiet. */
    loop: z.boolean().default(false),
});
const httpUrl = z
    .string()
    .refine((s) => /^https?:\/\//.test(s) && URL.canParse(s), 'must be an http:// or https:// URL')
    .transform((s) => s.replace(/\/+$/, ''));
/**
 * A feed behind wallet auth with encrypted frames: challenge → ed25519 signature → token + AES key,
 * then a WebSocket of AES-256-GCM frames. The signing key is RELAY_SEALED_SECRET_KEY.
 */
export const sealedSource = z.object({
    name,
    kind: z.literal('sealed'),
    /** Base URL of the feed's HTTP API; the stream is the same host over ws(s) at /stream. */
    url: httpUrl,
    resume: z.boolean().default(true),
});
export const sourceConfig = z.discriminatedUnion('kind', [jetstreamSource, replaySource, sealedSource]);
export const sourcesList = z
    .array(sourceConfig)
    .refine((xs) => new Set(xs.map((s) => s.name)).size === xs.length, 'source names must be unique');
//# sourceMappingURL=sources.js.map