import { DataSource, type MixedList, type EntitySchema } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolMax?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

/**
 * One TypeORM data source per process. Migrations are never run by TypeORM's own
 * `migrationsRun` (it has no cross-process lock); see runMigrationsLocked.
 */
export function createDataSource(o: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: o.url,
    entities: o.entities,
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
