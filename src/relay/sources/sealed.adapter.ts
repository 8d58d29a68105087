import type { SealedSourceConfig } from '../../../libs/config/index.js';
import { openFrame, parseFrameKey, signChallenge, type Ed25519Keypair } from '../../../libs/crypto/sealed-crypto.js';
import { extractEntities } from '../extract-entities.js';
import { decodeJsonFrame, isSaneTime } from './frame-checks.js';
import type { FrameResult, SourceAdapter } from './source-adapter.js';

/** An auth failure the connection should treat as a kick (long backoff), not a hiccup. */
export class SourceAuthError extends Error {
  override name = 'SourceAuthError';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/**
 * The sealed feed. Before each connect: POST /auth/challenge {publicKey} → {challenge};
 * POST /auth/verify {publicKey, challenge, signature: base58(ed25519(challenge))} → {token, key}.
 * Then ws(s)://host/stream?token=&cursor= delivers binary frames, each AES-256-GCM sealed with
 * `key` (12-byte IV ‖ ciphertext ‖ tag) around JSON {seq, id, author, text, createdAt}.
 * The cursor is `seq`; the server replays from it inclusive.
 */
export class SealedAdapter implements SourceAdapter {
  readonly resumable: boolean;
  private frameKey?: Buffer;

  constructor(
    private readonly cfg: Pick<SealedSourceConfig, 'name' | 'url' | 'resume'>,
    private readonly keypair: Ed25519Keypair,
    private readonly maxFrameBytes: number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.resumable = cfg.resume;
  }

  get name() {
    return this.cfg.name;
  }

  async connectUrl(cursor: string | undefined): Promise<string> {
    const { challenge } = await this.post('/auth/challenge', { publicKey: this.keypair.publicKeyBase58 });
    if (typeof challenge !== 'string' || !challenge) throw new SourceAuthError('auth challenge response has no "challenge" string');
    const auth = await this.post('/auth/verify', {
      publicKey: this.keypair.publicKeyBase58,
      challenge,
      signature: signChallenge(this.keypair, challenge),
    });
    if (typeof auth.token !== 'string' || !auth.token) throw new SourceAuthError('auth verify response has no "token"');
    this.frameKey = parseFrameKey(auth.key);
    const u = new URL(`${this.cfg.url.replace(/^http/, 'ws')}/stream`);
    u.searchParams.set('token', auth.token);
    if (cursor && this.resumable) u.searchParams.set('cursor', cursor);
    return u.toString();
  }

  private async post(path: string, body: unknown): Promise<Record<string, any>> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.cfg.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      // Network trouble reaching the auth endpoint: a hiccup, retried soon.
      throw Object.assign(new Error(`POST ${path}: ${(err as Error).message}`), { retryAfterMs: 0 });
    }
    const text = await res.text();
    if (!res.ok) {
      const ra = Number(res.headers.get('retry-after'));
      throw new SourceAuthError(`POST ${path} answered ${res.status}: ${text.slice(0, 200)}`, Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new SourceAuthError(`POST ${path} answered non-JSON`);
    }
  }

  cursorTime(): Date | undefined {
    return undefined; // seq numbers carry no time
  }

  rewind(cursor: string): string {
    return cursor; // replay is inclusive of the cursor; the one overlapping frame is deduped
  }

  parse(frame: Buffer): FrameResult {
    if (frame.length > this.maxFrameBytes) return { kind: 'bad', reason: 'oversized', detail: `${frame.length} bytes > ${this.maxFrameBytes}` };
    if (!this.frameKey) return { kind: 'bad', reason: 'undecryptable', detail: 'frame before authentication' };
    let plain: Buffer;
    try {
      plain = openFrame(this.frameKey, frame);
    } catch (err) {
      return { kind: 'bad', reason: 'undecryptable', detail: `AES-256-GCM open failed: ${(err as Error).message}` };
    }
    const decoded = decodeJsonFrame(plain, this.maxFrameBytes);
    if (!('ok' in decoded)) return decoded;
    const f = decoded.value as Record<string, any>;
    if (!f || typeof f !== 'object' || Array.isArray(f)) return wrong('plaintext is not a JSON object');
    if (f.type === 'heartbeat') return { kind: 'skip' };
    if (!Number.isSafeInteger(f.seq) || f.seq < 0) return wrong('missing or invalid "seq"');
    if (typeof f.id !== 'string' || !f.id || f.id.length > 256) return wrong('missing or invalid "id"');
    if (typeof f.author !== 'string' || !f.author || f.author.length > 300) return wrong('missing or invalid "author"');
    if (typeof f.text !== 'string') return wrong('missing "text"');
    const t = typeof f.createdAt === 'string' ? Date.parse(f.createdAt) : NaN;
    if (!isSaneTime(t)) return { kind: 'bad', reason: 'absurd_timestamp', detail: `createdAt ${JSON.stringify(f.createdAt)} is missing or outside 2000..now+1d` };
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

const wrong = (detail: string): FrameResult => ({ kind: 'bad', reason: 'wrong_shape', detail });
