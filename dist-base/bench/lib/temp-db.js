import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDataSource, runMigrationsLocked } from '../../libs/database/index.js';
import { MIGRATIONS } from '../../src/schema.js';
/** Admin connection for CREATE/DROP DATABASE (same default as the e2e tests). */
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
async function admin(fn) {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, application_name: 'sift-bench-admin' });
    c.on('error', () => undefined); // surfaces as the failed query instead
    await c.connect();
    try {
        return await fn(c);
    }
    finally {
        await c.end();
    }
}
/**
 * Creates `<prefix>_<random>`, runs the migrations into it, hands it to `fn`, and drops it
 * afterwards: on success, on failure, and on SIGINT/SIGTERM.
 */
export async function withTempDatabase(fn, o = {}) {
    const name = `${o.prefix ?? 'sift_bench'}_${randomBytes(4).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    const url = u.toString();
    let ds;
    let dropped = false;
    const drop = async () => {
        if (dropped)
            return;
        dropped = true;
        if (ds?.isInitialized)
            await ds.destroy().catch(() => undefined);
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    };
    const onSignal = (sig) => {
        process.stderr.write(`\n${sig}: dropping ${name}\n`);
        void drop().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        ds = createDataSource({ url, migrations: MIGRATIONS, poolMax: o.poolMax, applicationName: o.applicationName ?? 'sift-bench' });
        await ds.initialize();
        await runMigrationsLocked(ds);
        return await fn({ name, url, ds });
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await drop();
    }
}
//# sourceMappingURL=temp-db.js.map