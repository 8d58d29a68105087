import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on 127.0.0.1 (bound, then released: fine for a server started right after). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A private redis-server for fault tests: stopped and restarted on the same port without touching
 * the machine's shared Redis (other tests use it meanwhile). No persistence: a restart comes back
 * empty, like a cache node that lost its memory; `restart({ keepData: true })` stops with SAVE.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sift-redis-'));
  port = 0;

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--dbfilename', 'dump.rdb'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        if ((await r.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        r.disconnect();
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** Stops the server; with `save`, writes its data first so a restart finds it again. */
  async stop({ save = false } = {}): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    if (save) {
      const r = new Redis(this.url, { maxRetriesPerRequest: 0 });
      await r.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      r.disconnect();
    } else this.child.kill('SIGKILL');
    await new Promise((r) => (this.child!.exitCode !== null || this.child!.signalCode !== null ? r(undefined) : this.child!.once('exit', r)));
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
