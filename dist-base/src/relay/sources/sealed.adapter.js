import { openFrame, parseFrameKey, signChallenge } from '../../../libs/crypto/sealed-crypto.js';
import { extractEntities } from '../extract-entities.js';
import { decodeJsonFrame, isSaneTime } from './frame-checks.js';
/** An auth failure the connection should treat as a kick (long backoff), not a hiccup. */
export class SourceAuthError extends Error {
    retryAfterMs;
    name = 'SourceAuthError';
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
/**
 * The sealed feed. Before each connect: POST /auth/challenge {publicKey} → {challenge};
 * POST /auth/verify {publicKey, challenge, signature: base58(ed25519(challenge))} → {token, key}.
 * Then ws(s)://host/stream?token=&cursor= delivers binary frames, each AES-256-GCM sealed with
 * `key` (12-byte IV ‖ ciphertext ‖ tag) around JSON {seq, id, author, text, createdAt}.
 * The cursor is `seq`; the server replays from it inclusive.
 */
export class SealedAdapter {
    cfg;
    keypair;
    maxFrameBytes;
    fetchImpl;
    resumable;
    frameKey;
    constructor(cfg, keypair, maxFrameBytes, fetchImpl = fetch) {
        this.cfg = cfg;
        this.keypair = keypair;
        this.maxFrameBytes = maxFrameBytes;
        this.fetchImpl = fetchImpl;
        this.resumable = cfg.resume;
    }
    get name() {
        return this.cfg.name;
    }
    async connectUrl(cursor) {
        const { challenge } = await this.post('/auth/challenge', { publicKey: this.keypair.publicKeyBase58 });
        if (typeof challenge !== 'string' || !challenge)
            throw new SourceAuthError('auth challenge response has no "challenge" string');
        const auth = await this.post('/auth/verify', {
            publicKey: this.keypair.publicKeyBase58,
            challenge,
            signature: signChallenge(this.keypair, challenge),
        });
        if (typeof auth.token !== 'string' || !auth.token)
            throw new SourceAuthError('auth verify response has no "token"');
        this.frameKey = parseFrameKey(auth.key);
        const u = new URL(`${this.cfg.url.replace(/^http/, 'ws')}/stream`);
        u.searchParams.set('token', auth.token);
        if (cursor && this.resumable)
            u.searchParams.set('cursor', cursor);
        return u.toString();
    }
    async post(path, body) {
        let res;
        try {
            res = await this.fetchImpl(`${this.cfg.url}${path}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
                signal: AbortSignal.timeout(10_000),
            });
        }
        catch (err) {
            // Network trouble reaching the auth endpoint: a hiccup, retried soon.
            throw Object.assign(new Error(`POST ${path}: ${err.message}`), { retryAfterMs: 0 });
        }
        const text = await res.text();
        if (!res.ok) {
            const ra = Number(res.headers.get('retry-after'));
            throw new SourceAuthError(`POST ${path} answered ${res.status}: ${text.slice(0, 200)}`, Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined);
        }
        try {
            return JSON.parse(text);
        }
        catch {
            throw new SourceAuthError(`POST ${path} answered non-JSON`);
        }
    }
    cursorTime() {
        return undefined; // seq numbers carry no time
    }
    rewind(cursor) {
        return cursor; // replay is inclusive of the cursor; the one overlapping frame is deduped
    }
    parse(frame) {
        if (frame.length > this.maxFrameBytes)
            return { kind: 'bad', reason: 'oversized', detail: `${frame.length} bytes > ${this.maxFrameBytes}` };
        if (!this.frameKey)
            return { kind: 'bad', reason: 'undecryptable', detail: 'frame before authentication' };
        let plain;
        try {
            plain = openFrame(this.frameKey, frame);
        }
        catch (err) {
            return { kind: 'bad', reason: 'undecryptable', detail: `AES-256-GCM open failed: ${err.message}` };
        }
        const decoded = decodeJsonFrame(plain, this.maxFrameBytes);
        if (!('ok' in decoded))
            return decoded;
        const f = decoded.value;
        if (!f || typeof f !== 'object' || Array.isArray(f))
            return wrong('plaintext is not a JSON object');
        if (f.type === 'heartbeat')
            return { kind: 'skip' };
        if (!Number.isSafeInteger(f.seq) || f.seq < 0)
            return wrong('missing or invalid "seq"');
        if (typeof f.id !== 'string' || !f.id || f.id.length > 256)
            return wrong('missing or invalid "id"');
        if (typeof f.author !== 'string' || !f.author || f.author.length > 300)
            return wrong('missing or invalid "author"');
        if (typeof f.text !== 'string')
            return wrong('missing "text"');
        const t = typeof f.createdAt === 'string' ? Date.parse(f.createdAt) : NaN;
        if (!isSaneTime(t))
            return { kind: 'bad', reason: 'absurd_timestamp', detail: `createdAt ${JSON.stringify(f.createdAt)} is missing or outside 2000..now+1d` };
        const text = f.text.replace(/\u0000/g, '').slice(0, 10_000);
        return {
            kind: 'event',
            event: {
                source: this.cfg.name,
                sourceEventId: f.id,
                author: f.author.replace(/\u0000/g, ''),
                text,
                createdAt: new Date(t),
                entities: extractEntities(text),
                cursor: String(f.seq),
            },
        };
    }
}
const wrong = (detail) => ({ kind: 'bad', reason: 'wrong_shape', detail });
//# sourceMappingURL=sealed.adapter.js.map