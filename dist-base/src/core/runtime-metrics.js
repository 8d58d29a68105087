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
import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../libs/contracts/jobs.js';
import { registry } from '../../libs/observability/index.js';
import { JOB_QUEUE } from '../../libs/queue/index.js';
/**
 * Gauges read at scrape time rather than kept up to date: Postgres pool usage and job queue
 * depth. (Event-loop lag comes with prom-client's default metrics: sift_process_nodejs_eventloop_lag_*.)
 */
let RuntimeMetrics = class RuntimeMetrics {
    ds;
    jobs;
    constructor(ds, jobs) {
        this.ds = ds;
        this.jobs = jobs;
    }
    onModuleInit() {
        const pool = () => this.ds.driver.master;
        const ds = this.ds;
        registry.removeSingleMetric('sift_db_pool_connections');
        registry.removeSingleMetric('sift_queue_depth');
        new Gauge({
            name: 'sift_db_pool_connections',
            help: 'Postgres pool connections by state (waiting = requests queued for a connection)',
            labelNames: ['state'],
            registers: [registry],
            collect() {
                const p = ds.isInitialized ? pool() : undefined;
                if (!p)
                    return;
                this.set({ state: 'total' }, p.totalCount);
                this.set({ state: 'idle' }, p.idleCount);
                this.set({ state: 'waiting' }, p.waitingCount);
            },
        });
        const jobs = this.jobs;
        new Gauge({
            name: 'sift_queue_depth',
            help: 'Jobs waiting or running, per queue',
            labelNames: ['queue'],
            registers: [registry],
            async collect() {
                for (const q of Object.values(QUEUES))
                    this.set({ queue: q }, await jobs.depth(q).catch(() => 0));
            },
        });
    }
};
RuntimeMetrics = __decorate([
    Injectable(),
    __param(1, Inject(JOB_QUEUE)),
    __metadata("design:paramtypes", [DataSource, Object])
], RuntimeMetrics);
export { RuntimeMetrics };
//# sourceMappingURL=runtime-metrics.js.map