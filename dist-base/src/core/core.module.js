var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
var CoreModule_1;
import { Global, Inject, Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbedded, queueDriverOf } from '../../libs/config/index.js';
import { createDataSource, Db, startEmbeddedPostgres } from '../../libs/database/index.js';
import { join } from 'node:path';
import { EVENT_BUS, LocalEventBus, RedisEventBus } from '../../libs/bus/event-bus.js';
import { BullMqJobQueue, InProcessJobQueue, JOB_QUEUE } from '../../libs/queue/index.js';
import { metrics } from '../../libs/observability/index.js';
import { MIGRATIONS } from '../schema.js';
import { RuntimeMetrics } from './runtime-metrics.js';
import { SchemaStateService } from './schema-state.service.js';
import { EMBEDDED_POSTGRES, SIFT_CONFIG } from './tokens.js';
let CoreShutdown = class CoreShutdown {
    embedded;
    jobs;
    bus;
    ds;
    constructor(embedded, jobs, bus, ds) {
        this.embedded = embedded;
        this.jobs = jobs;
        this.bus = bus;
        this.ds = ds;
    }
    // Middle phase: running jobs finish (relay buffers were flushed in onModuleDestroy).
    async beforeApplicationShutdown() {
        await this.jobs.close();
    }
    // Last phase: connections close after every module is done with them.
    async onApplicationShutdown() {
        await this.bus.close();
        if (this.ds.isInitialized)
            await this.ds.destroy();
        await this.embedded.pg?.stop();
    }
};
CoreShutdown = __decorate([
    __param(0, Inject(EMBEDDED_POSTGRES)),
    __param(1, Inject(JOB_QUEUE)),
    __param(2, Inject(EVENT_BUS)),
    __metadata("design:paramtypes", [Object, Object, Object, DataSource])
], CoreShutdown);
/** What every role gets: config, the database, the job queue and the event bus. */
let CoreModule = CoreModule_1 = class CoreModule {
    static forRoot(cfg) {
        return {
            module: CoreModule_1,
            providers: [
                { provide: SIFT_CONFIG, useValue: cfg },
                {
                    provide: EMBEDDED_POSTGRES,
                    useFactory: async () => {
                        if (!isEmbedded(cfg))
                            return {};
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
                    useFactory: async (embedded) => {
                        const ds = createDataSource({
                            url: cfg.DATABASE_URL ?? embedded.pg.url,
                            migrations: MIGRATIONS,
                            // PGlite serves one backend session to every socket: one connection, or state leaks.
                            poolMax: embedded.pg ? 1 : cfg.DB_POOL_MAX,
                            statementTimeoutMs: cfg.DB_STATEMENT_TIMEOUT_MS,
                            applicationName: `sift:${cfg.roles.join(',')}`,
                        });
                        // Fail fast with a clear message; the pool reconnects by itself after boot.
                        await ds.initialize().catch((err) => {
                            throw new Error(`cannot connect to DATABASE_URL: ${err.message}`);
                        });
                        return ds;
                    },
                },
                // Every repository's way to the database: the data source's own pool.
                { provide: Db, inject: [DataSource], useFactory: (ds) => Db.of(ds) },
                {
                    provide: JOB_QUEUE,
                    useFactory: () => {
                        const onFailed = (queue) => metrics.jobsFailed.inc({ queue });
                        return queueDriverOf(cfg) === 'bullmq'
                            ? new BullMqJobQueue(cfg.REDIS_URL, cfg.REDIS_KEY_PREFIX, onFailed)
                            : new InProcessJobQueue(onFailed);
                    },
                },
                {
                    provide: EVENT_BUS,
                    useFactory: () => (cfg.REDIS_URL ? new RedisEventBus(cfg.REDIS_URL, `${cfg.REDIS_KEY_PREFIX}:bus:`) : new LocalEventBus()),
                },
                SchemaStateService,
                CoreShutdown,
                RuntimeMetrics,
            ],
            exports: [SIFT_CONFIG, DataSource, Db, JOB_QUEUE, EVENT_BUS, SchemaStateService],
        };
    }
};
CoreModule = CoreModule_1 = __decorate([
    Global(),
    Module({})
], CoreModule);
export { CoreModule };
//# sourceMappingURL=core.module.js.map