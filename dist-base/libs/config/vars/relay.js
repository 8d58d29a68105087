import { z } from 'zod';
import { KeyEncodingError, parseSolanaSecretKey } from '../../crypto/sealed-crypto.js';
import { int, json } from '../fields.js';
import { sourcesList } from '../sources.js';
import { spec } from '../spec.js';
/** The relay role: sources, batching, reconnects. */
export const RELAY_VARS = {
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
        // Under load batches size themselves (what arrives during a write goes next); the linger only
        // delays light traffic, so it is kept short for live delivery (bench:fanout).
        default: '20',
        description: 'How long a partial batch waits for more events before it is written (adds up to this much latency to live delivery at light load).',
    }),
    RELAY_WRITES_IN_FLIGHT: spec({
        schema: int(1, 4),
        roles: ['relay'],
        // 2: one batch's parameters, round trip and reply overlap the previous batch's insert.
        default: '2',
        description: 'Batches of one source written at once (each holds a database connection; commits stay in order and a cursor only moves after the batch before it committed).',
    }),
    RELAY_BUFFER_MAX: spec({
        schema: int(100, 1_000_000),
        roles: ['relay'],
        default: '20000',
        description: 'Max events held in memory per source; when full the relay stops reading (backpressure).',
    }),
    RELAY_BACKOFF_BASE_MS: spec({ schema: int(10, 600_000), roles: ['relay'], default: '500', description: 'First reconnect delay (full jitter, doubling).' }),
    RELAY_BACKOFF_MAX_MS: spec({ schema: int(100, 3_600_000), roles: ['relay'], default: '60000', description: 'Cap on the reconnect delay.' }),
    RELAY_HEALTHY_RESET_MS: spec({
        schema: int(100, 3_600_000),
        roles: ['relay'],
        default: '30000',
        description: 'A connection that stays up this long resets the backoff to its first step.',
    }),
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
    RELAY_SEALED_SECRET_KEY: spec({
        schema: z.string().superRefine((v, ctx) => {
            try {
                parseSolanaSecretKey(v, 'the key');
            }
            catch (err) {
                if (!(err instanceof KeyEncodingError))
                    throw err;
                ctx.addIssue({ code: 'custom', message: err.message });
            }
        }),
        roles: ['relay'],
        secret: true,
        description: 'Ed25519 secret key (Solana base58, 64 bytes) that signs the auth challenge of `sealed` sources. Required when one is configured.',
    }),
};
//# sourceMappingURL=relay.js.map