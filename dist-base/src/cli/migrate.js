import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { readFileSync } from 'node:fs';
import { createDataSource, Db, describeSchema, runMigrationsLocked, schemaDrift } from '../../libs/database/index.js';
import { MIGRATIONS, SCHEMA_SNAPSHOT_FILE } from '../schema.js';
/**
 * `npm run migrate`: apply pending migrations (under the same advisory lock the app uses).
 * `npm run migrate -- --check-drift`: also fail if the database's schema differs from
 * migrations/schema.snapshot.sql (a hand-made change, or a migration whose snapshot was not regenerated).
 */
async function main() {
    const cfg = loadConfig({ ...process.env, SIFT_ROLES: 'all' });
    if (!cfg.DATABASE_URL)
        throw new Error('DATABASE_URL is required (embedded mode migrates itself at startup)');
    const ds = createDataSource({ url: cfg.DATABASE_URL, migrations: MIGRATIONS, poolMax: 2 });
    await ds.initialize();
    try {
        const r = await runMigrationsLocked(ds);
        process.stdout.write(`applied ${r.applied.length} migration(s)${r.applied.length ? `: ${r.applied.join(', ')}` : ''}\n`);
        if (process.argv.includes('--check-drift')) {
            const drift = schemaDrift(readFileSync(SCHEMA_SNAPSHOT_FILE, 'utf8'), await describeSchema(Db.of(ds)));
            if (drift.length) {
                process.stderr.write(`the database schema differs from ${SCHEMA_SNAPSHOT_FILE}:\n${drift.join('\n')}\n`);
                process.exitCode = 1;
            }
            else
                process.stdout.write('no drift between the database and the schema snapshot\n');
        }
    }
    finally {
        await ds.destroy();
    }
}
main().catch((err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err.stack}\n`);
    process.exit(1);
});
//# sourceMappingURL=migrate.js.map