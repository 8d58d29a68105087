import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that a test can cut and restore, to take a dependency "down" (e.g.
 * Postgres) for one app without touching the shared server. `cut()` destroys every proxied
 * connection and refuses new ones (accepted, then reset at once) until `restore()`.
 */
export class TcpProxy {
  private server?: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private down = false;
  port = 0;
  /** Connections proxied through (accepted while up). */
  accepted = 0;
  /** Connections refused while cut. */
  refused = 0;
  /** Live proxied connections destroyed by cut(). */
  severed = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy in front of the host:port of `url` (e.g. a postgres:// URL). */
  static for(url: string): TcpProxy {
    const u = new URL(url);
    return new TcpProxy({ host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) });
  }

  /** `url` with its host and port pointed at this proxy. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get isDown() {
    return this.down;
  }

  get live() {
    return this.pairs.size;
  }

  async start(): Promise<number> {
    this.server = createServer((client) => this.onClient(client));
    this.server.on('error', () => undefined);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  cut() {
    this.down = true;
    for (const pair of this.pairs) {
      this.severed++;
      destroyPair(pair);
    }
    this.pairs.clear();
  }

  restore() {
    this.down = false;
  }

  async stop() {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private onClient(client: Socket) {
    client.on('error', () => undefined);
    if (this.down) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    this.accepted++;
    const upstream = connect({ host: this.target.host, port: this.target.port });
    upstream.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      if (this.pairs.delete(pair)) destroyPair(pair);
    };
    client.on('close', end);
    upstream.on('close', end);
  }
}

function destroyPair([a, b]: [Socket, Socket]) {
  // A reset, not a FIN: to the client it looks like the database vanished.
  if (!a.destroyed) a.resetAndDestroy();
  if (!b.destroyed) b.resetAndDestroy();
}
