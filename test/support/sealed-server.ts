import bs58 from 'bs58';
import { createCipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** SPKI DER prefix for a raw 32-byte Ed25519 public key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SealedPost {
  seq: number;
  id: string;
  author: string;
  text: string;
  createdAt: string;
}

export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]);
}

/**
 * A local server for the sealed protocol: challenge/verify over HTTP (real ed25519 signature
 * check against the registered public key), then AES-256-GCM frames over WebSocket, replaying
 * from `?cursor=` inclusive. Misbehaves on command.
 */
export class SealedServer {
  readonly posts: SealedPost[] = [];
  private http!: Server;
  private wss!: WebSocketServer;
  private readonly challenges = new Map<string, string>();
  private readonly sessions = new Map<string, Buffer>();
  authAttempts = 0;
  connections = 0;
  /** Next N auth attempts answer this status. */
  rejectAuth: { status: number; times: number; retryAfterS?: number } | undefined;
  /** Hand out a key of this many bytes instead of 32 (encoding mistakes on the server side). */
  keyBytes = 32;
  /** Frames after this many per connection are sealed with a different key. */
  corruptAfter: number | undefined;

  constructor(private readonly allowedPublicKey: string) {}

  addPosts(n: number, start = Date.now() - 60_000) {
    for (let i = 0; i < n; i++) {
      const seq = this.posts.length + 1;
      this.posts.push({ seq, id: `sealed-${seq}`, author: `wallet${seq % 7}`, text: `sealed post ${seq} about $sol #sealed`, createdAt: new Date(start + seq).toISOString() });
    }
  }

  async start(): Promise<string> {
    this.http = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const key = this.sessions.get(u.searchParams.get('token') ?? '');
      if (u.pathname !== '/stream' || !key) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.stream(ws, key, Number(u.searchParams.get('cursor') ?? 0)));
    });
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async stop() {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const body = await new Promise<any>((r) => {
      let s = '';
      req.on('data', (d) => (s += d));
      req.on('end', () => {
        try {
          r(JSON.parse(s));
        } catch {
          r({});
        }
      });
    });
    const send = (status: number, obj: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(obj));
    };
    if (req.url === '/auth/challenge') {
      this.authAttempts++;
      if (this.rejectAuth && this.rejectAuth.times > 0) {
        this.rejectAuth.times--;
        return send(this.rejectAuth.status, { error: 'rejected' }, this.rejectAuth.retryAfterS ? { 'retry-after': String(this.rejectAuth.retryAfterS) } : {});
      }
      const challenge = `sift-challenge-${randomBytes(16).toString('hex')}`;
      this.challenges.set(challenge, body.publicKey);
      return send(200, { challenge, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    if (req.url === '/auth/verify') {
      const pk = this.challenges.get(body.challenge);
      this.challenges.delete(body.challenge);
      if (!pk || pk !== body.publicKey || pk !== this.allowedPublicKey) return send(401, { error: 'unknown challenge or key' });
      const pub = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(bs58.decode(pk))]), format: 'der', type: 'spki' });
      let ok = false;
      try {
        ok = verify(null, Buffer.from(body.challenge), pub, Buffer.from(bs58.decode(body.signature)));
      } catch {}
      if (!ok) return send(401, { error: 'bad signature' });
      const token = randomBytes(16).toString('hex');
      const key = randomBytes(32);
      this.sessions.set(token, key);
      return send(200, { token, key: Buffer.concat([key, randomBytes(Math.max(0, this.keyBytes - 32))]).subarray(0, this.keyBytes).toString('base64'), expiresIn: 3600 });
    }
    send(404, { error: 'not found' });
  }

  private stream(ws: WebSocket, key: Buffer, cursor: number) {
    this.connections++;
    let sent = 0;
    const wrongKey = randomBytes(32);
    for (const p of this.posts) {
      if (p.seq < cursor) continue;
      const k = this.corruptAfter !== undefined && sent >= this.corruptAfter ? wrongKey : key;
      ws.send(seal(k, Buffer.from(JSON.stringify(p))));
      sent++;
    }
    ws.send(seal(key, Buffer.from(JSON.stringify({ type: 'heartbeat' }))));
  }

  /** Sends raw bytes to every connected client (hostile frames). */
  broadcastRaw(frames: Buffer[]) {
    for (const c of this.wss.clients) for (const f of frames) c.send(f);
  }

  sealForClients(plain: Buffer): Buffer[] {
    return [...this.sessions.values()].map((k) => seal(k, plain));
  }
}
