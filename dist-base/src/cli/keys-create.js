import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { createDataSource, Db } from '../../libs/database/index.js';
import { ApiKeysRepository, SCOPES } from '../api/auth/api-keys.repository.js';
import { MIGRATIONS } from '../schema.js';
/**
 * `npm run keys:create -- --name ops --scopes read,search,admin [--rate 600]`: creates an API key
 * straight in the database (for the first admin key when API_ADMIN_KEY is not used). Prints the
 * secret once.
 */
async function main() {
    const arg = (flag) => {
        const i = process.argv.indexOf(flag);
        return i > 0 ? process.argv[i + 1] : undefined;
    };
    const name = arg('--name');
    const scopes = (arg('--scopes') ?? 'read').split(',').map((s) => s.trim());
    const rate = arg('--rate');
    if (!name)
        throw new Error('--name is required');
    const bad = scopes.filter((s) => !SCOPES.includes(s));
    if (bad.length)
        throw new Error(`unknown scope(s) ${bad.join(', ')}: use ${SCOPES.join(', ')}`);
    if (rate !== undefined && !/^\d+$/.test(rate))
        throw new Error('--rate must be a whole number of requests per minute');
    const cfg = loadConfig({ ...process.env, SIFT_ROLES: 'api' });
    const ds = createDataSource({ url: cfg.DATABASE_URL, migrations: MIGRATIONS, poolMax: 1 });
    await ds.initialize();
    try {
        const { key } = await new ApiKeysRepository(Db.of(ds)).create({ name, scopes, rateLimitPerMin: rate ? Number(rate) : null });
        process.stdout.write(`${key}\n`);
        process.stderr.write(`created key "${name}" with scopes ${scopes.join(', ')}: store it now, it is not shown again\n`);
    }
    finally {
        await ds.destroy();
    }
}
main().catch((err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err.message}\n`);
    process.exit(1);
});
//# sourceMappingURL=keys-create.js.map