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
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbedded } from '../../libs/config/index.js';
import { runMigrationsLocked } from '../../libs/database/index.js';
import { SIFT_CONFIG } from './tokens.js';
/**
 * Owns "is the schema ready". Applies migrations at boot (or, with DB_MIGRATIONS_RUN=false,
 * waits until another process has). Roles await `ready` before touching their tables, and
 * readiness reports false until it resolves.
 */
let SchemaStateService = class SchemaStateService {
    ds;
    cfg;
    log = new Logger('Schema');
    resolveReady;
    ready = new Promise((r) => (this.resolveReady = r));
    state = 'pending';
    error;
    applied = [];
    stopped = false;
    constructor(ds, cfg) {
        this.ds = ds;
        this.cfg = cfg;
    }
    onApplicationBootstrap() {
        // Not awaited: the HTTP server comes up and answers /health/ready=503 meanwhile.
        void this.prepare();
    }
    onModuleDestroy() {
        this.stopped = true;
    }
    async prepare() {
        let delay = 500;
        while (!this.stopped) {
            try {
                if (this.cfg.DB_MIGRATIONS_RUN) {
                    this.state = 'migrating';
                    // Embedded mode is one process on a one-connection pool: the cross-process lock would
                    // need a second connection, and there is no other process to race with.
                    const r = isEmbedded(this.cfg)
                        ? { applied: (await this.ds.runMigrations({ transaction: 'each' })).map((m) => m.name), waitedMs: 0 }
                        : await runMigrationsLocked(this.ds);
                    this.applied = r.applied;
                    this.log.log({ msg: 'migrations checked', applied: r.applied, appliedCount: r.applied.length, waitedMs: r.waitedMs });
                }
                else if (await this.ds.showMigrations()) {
                    throw new Error('pending migrations and DB_MIGRATIONS_RUN=false: waiting for another process to apply them');
                }
                this.state = 'ready';
                this.error = undefined;
                this.resolveReady();
                return;
            }
            catch (err) {
                this.state = 'failed';
                this.error = err.message;
                this.log.error({ msg: 'schema not ready, retrying', err: this.error, retryInMs: delay });
                await new Promise((r) => setTimeout(r, delay));
                delay = Math.min(delay * 2, 10_000);
            }
        }
    }
};
SchemaStateService = __decorate([
    Injectable(),
    __param(1, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [DataSource, Object])
], SchemaStateService);
export { SchemaStateService };
//# sourceMappingURL=schema-state.service.js.map