import { Logger } from '@nestjs/common';
/**
 * One relay per source across every relay process: a Postgres session advisory lock per source
 * name, held on a dedicated connection for as long as the source runs. A second relay with the
 * same source waits as a hot standby and takes over when the holder exits or its connection
 * dies (Postgres releases session locks with the session).
 */
export class SourceLease {
    db;
    source;
    retryMs;
    log;
    runner;
    stopped = false;
    check;
    constructor(db, source, retryMs = 5_000) {
        this.db = db;
        this.source = source;
        this.retryMs = retryMs;
        this.log = new Logger(`Lease:${source}`);
    }
    /** Resolves once this process holds the source (false if stopped while waiting). */
    async acquire() {
        let announced = false;
        while (!this.stopped) {
            try {
                this.runner ??= await this.db.hold();
                const [row] = await this.runner.query(`SELECT pg_try_advisory_lock(hashtext('sift:source'), hashtext($1)) AS ok`, [this.source]);
                if (row.ok) {
                    if (announced)
                        this.log.log({ msg: 'took over source from another relay', source: this.source });
                    return true;
                }
                if (!announced)
                    this.log.log({ msg: 'another relay holds this source; standing by', source: this.source });
                announced = true;
            }
            catch (err) {
                this.log.warn({ msg: 'source lease check failed; retrying', source: this.source, error: err.message });
                this.runner?.release(err);
                this.runner = undefined;
            }
            await new Promise((r) => setTimeout(r, this.retryMs));
        }
        return false;
    }
    /** Calls `onLost` if the lease connection dies (another relay may then take the source). */
    watch(onLost, everyMs = 10_000) {
        this.check = setInterval(async () => {
            try {
                await this.runner.query('SELECT 1');
            }
            catch {
                clearInterval(this.check);
                this.log.error({ msg: 'lost the source lease connection; stopping this source', source: this.source });
                onLost();
            }
        }, everyMs);
        this.check.unref();
    }
    async release() {
        this.stopped = true;
        clearInterval(this.check);
        const r = this.runner;
        this.runner = undefined;
        if (!r)
            return;
        await r.query(`SELECT pg_advisory_unlock(hashtext('sift:source'), hashtext($1))`, [this.source]).catch(() => undefined);
        r.release();
    }
}
//# sourceMappingURL=source-lease.js.map