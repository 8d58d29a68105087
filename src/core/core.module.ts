import { Global, Inject, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbedded, queueDriverOf, type SiftConfig } from '../../libs/config/index.js';
import { createDataSource, Db, startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/database/index.js';
import { join } from 'node:path';
import { EVENT_BUS, LocalEventBus, RedisEventBus, type EventBus } from '../../libs/bus/event-bus.js';
import { BullMqJobQueue, InProcessJobQueue, JOB_QUEUE, type JobQueue } from '../../libs/queue/index.js';
import { metrics } from '../../libs/observability/index.js';
import { USAGE_SINK } from '../../libs/contracts/usage.js';
import { MIGRATIONS } from '../schema.js';
import { UsageMeter } from '../usage/usage-meter.js';
import { UsageRepository } from '../usage/usage.repository.js';
import { RuntimeMetrics } from './runtime-metrics.js';
import { SchemaStateService } from './schema-state.service.js';
import { EMBEDDED_POSTGRES, SIFT_CONFIG } from './tokens.js';

interface EmbeddedHandle {
  pg?: EmbeddedPostgres;
}

class CoreShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedHandle,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly ds: DataSource,
    private readonly usage: UsageMeter,
  ) {}
  // Middle phase: running jobs finish (relay buffers were flushed in onModuleDestroy).
  async beforeApplicationShutdown() {
    await this.jobs.close();
  }
  // Last phase: connections close after every module is done with them.
  async onApplicationShutdown() {
    // The HTTP server has stopped (every answered request was counted): write the last usage.
    await this.usage.close();
    await this.bus.close();
    if (this.ds.isInitialized) await this.ds.destroy();
    await this.embedded.pg?.stop();
  }
}

/** What every role gets: config, the database, the job queue, the event bus and the usage meter. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(cfg: SiftConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SIFT_CONFIG, useValue: cfg },
        {
          provide: EMBEDDED_POSTGRES,
          useFactory: async (): Promise<EmbeddedHandle> => {
            if (!isEmbedded(cfg)) return {};
            const log = new Logger('Embedded');
            const dir = join(cfg.SIFT_DATA_DIR, 'pglite');
            const pg = await startEmbeddedPostgres(dir);
            log.warn({ msg: 'EMBEDDED MODE: PGlite database, in-process jobs and broadcasts. For a first look on one machine, NOT for production: set DATABASE_URL and REDIS_URL.', dataDir: dir });
            return { pg };
          },
        },
        {
          provide: DataSource,
          inject: [EMBEDDED_POSTGRES],
          useFactory: async (embedded: EmbeddedHandle) => {
            const ds = createDataSource({
              url: cfg.DATABASE_URL ?? embedded.pg!.url,
              migrations: MIGRATIONS,
              // PGlite serves one backend session to every socket: one connection, or state leaks.
              poolMax: embedded.pg ? 1 : cfg.DB_POOL_MAX,
              statementTimeoutMs: cfg.DB_STATEMENT_TIMEOUT_MS,
              applicationName: `sift:${cfg.roles.join(',')}`,
            });
            // Fail fast with a clear message; the pool reconnects by itself after boot.
            await ds.initialize().catch((err) => {
              throw new Error(`cannot connect to DATABASE_URL: ${(err as Error).message}`);
            });
            return ds;
          },
        },
        // Every repository's way to the database: the data source's own pool.
        { provide: Db, inject: [DataSource], useFactory: (ds: DataSource) => Db.of(ds) },
        {
          provide: JOB_QUEUE,
          useFactory: (): JobQueue => {
            const onFailed = (queue: string) => metrics.jobsFailed.inc({ queue });
            return queueDriverOf(cfg) === 'bullmq'
              ? new BullMqJobQueue(cfg.REDIS_URL!, cfg.REDIS_KEY_PREFIX, onFailed)
              : new InProcessJobQueue(onFailed);
          },
        },
        {
          provide: EVENT_BUS,
          useFactory: (): EventBus => (cfg.REDIS_URL ? new RedisEventBus(cfg.REDIS_URL, `${cfg.REDIS_KEY_PREFIX}:bus:`) : new LocalEventBus()),
        },
        SchemaStateService,
        UsageRepository,
        UsageMeter,
        { provide: USAGE_SINK, useExisting: UsageMeter },
        CoreShutdown,
        RuntimeMetrics,
      ],
      exports: [SIFT_CONFIG, DataSource, Db, JOB_QUEUE, EVENT_BUS, SchemaStateService, UsageRepository, UsageMeter, USAGE_SINK],
    };
  }
}
