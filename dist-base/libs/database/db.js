const textOf = (s) => (typeof s === 'string' ? s : s.text);
/**
 * The one way application code reaches Postgres. TypeORM keeps the pool and runs migrations; every
 * statement goes to node-postgres directly (no ORM logging of failed batches, no
 * `[rows, affected]` result shapes), through `query` (autocommit), `withClient` (several
 * statements on one connection) or `withTransaction` (BEGIN … COMMIT, ROLLBACK on throw).
 * A connection that failed mid-use is destroyed rather than handed back to the pool, so no
 * half-open transaction or leftover session setting leaks into another caller.
 */
export class Db {
    pool;
    tap;
    constructor(pool) {
        this.pool = pool;
    }
    /** The pool TypeORM opened for `ds` (its Postgres driver's master pool). */
    static of(ds) {
        const pool = ds.driver.master;
        if (!pool)
            throw new Error('Db.of: the data source is not initialised');
        return new Db(pool);
    }
    /** One statement in autocommit; its rows. */
    async query(statement, params) {
        this.tap?.(textOf(statement));
        return (await this.pool.query(statement, params)).rows;
    }
    /** Lends one pooled connection to `fn` and takes it back, destroying it if `fn` threw. */
    withClient(fn) {
        return this.withRawClient((raw) => fn({ query: (statement, params) => this.send(raw, statement, params) }));
    }
    /**
     * The node-postgres client itself, for what needs more than `query` (COPY streams in benches
     * and tests). Released as withClient does. Not for repositories.
     */
    async withRawClient(fn) {
        const { raw, release } = await this.lend();
        let failed;
        try {
            return await fn(raw);
        }
        catch (err) {
            failed = err;
            throw err;
        }
        finally {
            release(failed);
        }
    }
    /**
     * A pooled client and its release. A lent client has no error listener of the pool's: without
     * one, a connection dropped between two statements (Postgres restarted) would be an uncaught
     * 'error' event. The next query on it fails instead, and release destroys it.
     */
    async lend() {
        const raw = await this.pool.connect();
        let broken;
        const onError = (err) => (broken = err);
        raw.on('error', onError);
        let released = false;
        return {
            raw,
            release: (err) => {
                if (released)
                    return;
                released = true;
                raw.removeListener('error', onError);
                raw.release(err ?? broken);
            },
        };
    }
    /** One statement on a lent client; several in one string give the rows of each, in order. */
    async send(raw, statement, params) {
        this.tap?.(textOf(statement));
        const r = (await raw.query(statement, params));
        return Array.isArray(r) ? r.map((x) => x.rows) : r.rows;
    }
    /** A pooled connection the caller releases itself (for session-long locks). */
    async hold() {
        const { raw, release } = await this.lend();
        return { query: (statement, params) => this.send(raw, statement, params), release };
    }
    /**
     * `fn` inside BEGIN … COMMIT on one connection; ROLLBACK when it throws. `begin` replaces the
     * BEGIN statement (e.g. `BEGIN; SET LOCAL …` in one round trip); its last result is returned
     * to `fn` as `begun`.
     */
    async withTransaction(fn, begin = 'BEGIN') {
        return this.withClient(async (client) => {
            // A multi-statement BEGIN yields the rows of each statement: the last one's matter (e.g. a
            // SELECT after SET LOCAL).
            const rows = await client.query(begin);
            const begun = begin.includes(';') ? (rows.at(-1) ?? []) : rows;
            try {
                const out = await fn(client, begun);
                await client.query('COMMIT');
                return out;
            }
            catch (err) {
                await client.query('ROLLBACK').catch(() => undefined);
                throw err;
            }
        });
    }
}
//# sourceMappingURL=db.js.map