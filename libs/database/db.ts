import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** A statement as node-postgres takes it: text, or a named (prepared) statement. */
export type Statement = string | { name: string; text: string; values?: unknown[] };

/**
 * Anything that runs a statement and returns its rows: the pool (autocommit) or one lent
 * connection. Repository reads take a `Sql` so they run alike inside or outside a transaction.
 */
export interface Sql {
  query<R extends Record<string, any> = any>(statement: Statement, params?: unknown[]): Promise<R[]>;
}

/**
 * One pooled connection lent to a callback. Only `query` is exposed: a repository never
 * releases, reconnects or inspects the client itself.
 */
export type DbClient = Sql;

/** A connection held beyond one callback (a session advisory lock lives as long as it). */
export interface HeldClient extends Sql {
  /** Back to the pool; `err` set: destroyed instead (its session state is unknown). */
  release(err?: Error): void;
}

/** Sees every statement sent through a Db (the SQL snapshot generator records them). */
export type StatementTap = (text: string) => void;

const textOf = (s: Statement) => (typeof s === 'string' ? s : s.text);

/**
 * The one way application code reaches Postgres. TypeORM keeps the pool and runs migrations; every
 * statement goes to node-postgres directly (no ORM logging of failed batches, no
 * `[rows, affected]` result shapes), through `query` (autocommit), `withClient` (several
 * statements on one connection) or `withTransaction` (BEGIN … COMMIT, ROLLBACK on throw).
 * A connection that failed mid-use is destroyed rather than handed back to the pool, so no
 * half-open transaction or leftover session setting leaks into another caller.
 */
export class Db implements Sql {
  tap?: StatementTap;

  constructor(private readonly pool: pg.Pool) {}

  /** The pool TypeORM opened for `ds` (its Postgres driver's master pool). */
  static of(ds: DataSource): Db {
    const pool = (ds.driver as unknown as { master?: pg.Pool }).master;
    if (!pool) throw new Error('Db.of: the data source is not initialised');
    return new Db(pool);
  }

  /** One statement in autocommit; its rows. */
  async query<R extends Record<string, any> = any>(statement: Statement, params?: unknown[]): Promise<R[]> {
    this.tap?.(textOf(statement));
    return (await this.pool.query<R>(statement as string, params)).rows;
  }

  /** Lends one pooled connection to `fn` and takes it back, destroying it if `fn` threw. */
  withClient<T>(fn: (client: DbClient) => Promise<T>): Promise<T> {
    return this.withRawClient((raw) => fn({ query: (statement, params) => this.send(raw, statement, params) }));
  }

  /**
   * The node-postgres client itself, for what needs more than `query` (COPY streams in benches
   * and tests). Released as withClient does. Not for repositories.
   */
  async withRawClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const { raw, release } = await this.lend();
    let failed: Error | undefined;
    try {
      return await fn(raw);
    } catch (err) {
      failed = err as Error;
      throw err;
    } finally {
      release(failed);
    }
  }

  /**
   * A pooled client and its release. A lent client has no error listener of the pool's: without
   * one, a connection dropped between two statements (Postgres restarted) would be an uncaught
   * 'error' event. The next query on it fails instead, and release destroys it.
   */
  private async lend(): Promise<{ raw: pg.PoolClient; release: (err?: Error) => void }> {
    const raw = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    raw.on('error', onError);
    let released = false;
    return {
      raw,
      release: (err) => {
        if (released) return;
        released = true;
        raw.removeListener('error', onError);
        raw.release(err ?? broken);
      },
    };
  }

  /** One statement on a lent client; several in one string give the rows of each, in order. */
  private async send(raw: pg.PoolClient, statement: Statement, params?: unknown[]): Promise<any[]> {
    this.tap?.(textOf(statement));
    const r = (await raw.query(statement as string, params)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(r) ? r.map((x) => x.rows) : r.rows;
  }

  /** A pooled connection the caller releases itself (for session-long locks). */
  async hold(): Promise<HeldClient> {
    const { raw, release } = await this.lend();
    return { query: (statement, params) => this.send(raw, statement, params), release };
  }

  /**
   * `fn` inside BEGIN … COMMIT on one connection; ROLLBACK when it throws. `begin` replaces the
   * BEGIN statement (e.g. `BEGIN; SET LOCAL …` in one round trip); its last result is returned
   * to `fn` as `begun`.
   */
  async withTransaction<T>(fn: (client: DbClient, begun: Record<string, any>[]) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    return this.withClient(async (client) => {
      // A multi-statement BEGIN yields the rows of each statement: the last one's matter (e.g. a
      // SELECT after SET LOCAL).
      const rows = await client.query(begin);
      const begun = begin.includes(';') ? ((rows.at(-1) ?? []) as unknown as Record<string, any>[]) : rows;
      try {
        const out = await fn(client, begun);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }
}
