import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

/** initdb and postgres refuse to run as root: run them as the postgres user then. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A private PostgreSQL 15 cluster for fault tests (pgvector available), mirroring PrivateRedis:
 * crashed with kill -9 of the postmaster, stopped and restarted on the same port without touching
 * the machine's shared Postgres on :5432. `settings` are passed as `-c name=value` (e.g.
 * synchronous_commit=off to make every commit asynchronous, the worst case for a crash).
 */
export class PrivatePostgres {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sift-pg-'));
  private readonly data = join(this.dir, 'data');
  private readonly user = runAs();
  private initialised = false;

  constructor(
    readonly port: number,
    private readonly settings: Record<string, string> = {},
  ) {}

  /** Connection URL of database `db` (default: postgres). */
  url(db = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  async start(): Promise<void> {
    if (!this.initialised) {
      if (this.user) {
        chownSync(this.dir, this.user.uid, this.user.gid);
        chmodSync(this.dir, 0o700);
      }
      execFileSync(`${BIN}/initdb`, ['-D', this.data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], { stdio: 'ignore', ...this.user });
      this.initialised = true;
    }
    const args = ['-D', this.data, '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'];
    for (const [k, v] of Object.entries(this.settings)) args.push('-c', `${k}=${v}`);
    this.child = spawn(`${BIN}/postgres`, args, { stdio: 'ignore', detached: true, ...this.user });
    for (let i = 0; i < 200; i++) {
      if (this.child.exitCode !== null) throw new Error(`postgres on ${this.port} exited with ${this.child.exitCode}`);
      const c = new pg.Client({ connectionString: this.url() });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('SELECT 1');
        return;
      } catch {
        // starting up, or recovering from a crash
      } finally {
        await c.end().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`postgres on ${this.port} did not start`);
  }

  /**
   * kill -9 of the postmaster and, at once, of every process of the cluster (its process group):
   * no checkpoint, and WAL still in shared memory (asynchronous commits) is lost, as in a crash.
   */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    process.kill(-c.pid, 'SIGKILL');
    await exited;
    // The next start refuses while a backend still holds the old shared memory: wait them out.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-c.pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        return;
      }
    }
  }

  /** A clean (fast) shutdown. */
  async stop(): Promise<void> {
    await this.stopWith('SIGINT');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async stopWith(signal: NodeJS.Signals) {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
