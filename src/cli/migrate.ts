import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { createDataSource, pendingSchemaChanges, runMigrationsLocked } from '../../libs/database/index.js';
import { ALL_ENTITIES, MIGRATIONS } from '../schema.js';

/**
 * `npm run migrate`: apply pending migrations (under the same advisory lock the app uses).
 * `npm run migrate -- --check-drift`: also fail if entities need schema changes no migration makes.
 */
async function main() {
  const cfg = loadConfig({ ...process.env, SIFT_ROLES: 'all' });
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL is required (embedded mode migrates itself at startup)');
  const ds = createDataSource({ url: cfg.DATABASE_URL, entities: ALL_ENTITIES, migrations: MIGRATIONS, poolMax: 2 });
  await ds.initialize();
  try {
    const r = await runMigrationsLocked(ds);
    process.stdout.write(`applied ${r.applied.length} migration(s)${r.applied.length ? `: ${r.applied.join(', ')}` : ''}\n`);
    if (process.argv.includes('--check-drift')) {
      const pending = await pendingSchemaChanges(ds);
      if (pending.length) {
        process.stderr.write(`entities and migrations drift; a migration is missing for:\n${pending.join(';\n')}\n`);
        process.exitCode = 1;
      } else process.stdout.write('no drift between entities and migrations\n');
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
