import { DataSource } from 'typeorm';
/**
 * One TypeORM data source per process. Migrations are never run by TypeORM's own
 * `migrationsRun` (it has no cross-process lock); see runMigrationsLocked.
 */
export function createDataSource(o) {
    return new DataSource({
        type: 'postgres',
        url: o.url,
        entities: [],
        migrations: o.migrations,
        migrationsTableName: 'migrations',
        synchronize: false,
        migrationsRun: false,
        logging: ['error'],
        applicationName: o.applicationName ?? 'sift',
        extra: {
            max: o.poolMax ?? 10,
            // Cap each statement so a slow search cannot hold a pooled connection forever.
            statement_timeout: o.statementTimeoutMs || undefined,
            idleTimeoutMillis: 30_000,
            connectionTimeoutMillis: 10_000,
        },
    });
}
/**
 * Rows of a `DataSource.query` result. TypeORM's Postgres driver returns `[rows, affected]` for
 * UPDATE/DELETE … RETURNING but plain rows for SELECT/INSERT; callers should not care which.
 */
export function rowsOf(result) {
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
        return result[0];
    return result;
}
/**
 * The SQLSTATE of a failed query (e.g. '23505'), or undefined: pg puts it on its error, TypeORM's
 * QueryFailedError on `driverError` (and usually copies it up).
 */
export function sqlState(err) {
    const code = err?.code ?? err?.driverError?.code;
    return typeof code === 'string' ? code : undefined;
}
//# sourceMappingURL=data-source.js.map