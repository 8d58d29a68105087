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
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { registry } from '../../libs/observability/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { RelayService } from '../relay/relay.service.js';
import { ShutdownState } from './shutdown-state.js';
import { Public } from '../api/auth/auth.decorators.js';
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer within ${ms}ms`)), ms).unref())]);
let HealthController = class HealthController {
    health;
    indicator;
    ds;
    schema;
    shutdown;
    moduleRef;
    redis;
    // Resolved across modules: present only when this process runs the role that owns them.
    embeddings;
    relay;
    constructor(health, indicator, ds, schema, shutdown, cfg, moduleRef) {
        this.health = health;
        this.indicator = indicator;
        this.ds = ds;
        this.schema = schema;
        this.shutdown = shutdown;
        this.moduleRef = moduleRef;
        if (cfg.REDIS_URL) {
            this.redis = new Redis(cfg.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
            this.redis.on('error', () => undefined);
        }
    }
    onApplicationBootstrap() {
        const find = (t) => {
            try {
                return this.moduleRef.get(t, { strict: false });
            }
            catch {
                return undefined;
            }
        };
        this.embeddings = find(EmbeddingsService);
        this.relay = find(RelayService);
    }
    live() {
        return this.health.check([() => this.indicator.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) })]);
    }
    ready() {
        const checks = [
            () => (this.shutdown.draining ? this.indicator.check('lifecycle').down({ message: 'shutting down' }) : this.indicator.check('lifecycle').up()),
            async () => {
                const s = this.indicator.check('database');
                try {
                    await withTimeout(this.ds.query('SELECT 1'), 2000, 'database');
                    return s.up();
                }
                catch (err) {
                    return s.down({ message: err.message });
                }
            },
            () => {
                const s = this.indicator.check('migrations');
                return this.schema.state === 'ready' ? s.up({ applied: this.schema.applied.length }) : s.down({ state: this.schema.state, error: this.schema.error ?? null });
            },
        ];
        if (this.embeddings) {
            checks.push(() => {
                const s = this.indicator.check('embeddings');
                const st = this.embeddings.status;
                if (st.state === 'ready')
                    return s.up({ model: st.model, dims: st.dims, device: st.device, links: st.links, skipped: st.skipped });
                // Disabled is a decision, not an outage: ready, but flagged.
                if (st.state === 'disabled')
                    return s.degraded({ disabled: true, reason: st.reason, failures: st.failures });
                return s.down({ state: 'loading' });
            });
        }
        if (this.redis) {
            checks.push(async () => {
                const s = this.indicator.check('redis');
                try {
                    if (this.redis.status === 'wait' || this.redis.status === 'end')
                        await this.redis.connect().catch(() => undefined);
                    await withTimeout(this.redis.ping(), 2000, 'redis');
                    return s.up();
                }
                catch (err) {
                    return s.down({ message: err.message });
                }
            });
        }
        if (this.relay) {
            // Source trouble is reported, not fatal: the relay is still doing its job by retrying.
            checks.push(() => {
                const sources = this.relay.status();
                const s = this.indicator.check('relay');
                const data = { sources: sources.map((x) => ({ name: x.name, state: x.state, lastFrameAt: x.lastFrameAt, reconnects: x.reconnects, eventAgeSeconds: x.eventAgeSeconds, relayLagSeconds: x.relayLagSeconds })) };
                return sources.every((x) => x.state === 'connected') ? s.up(data) : s.degraded(data);
            });
        }
        return this.health.check(checks);
    }
    metrics() {
        return registry.metrics();
    }
    onModuleDestroy() {
        this.redis?.disconnect();
    }
};
__decorate([
    Get('health/live'),
    ApiOperation({ summary: 'Liveness: the process is up. Checks no dependency.' }),
    HealthCheck(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", void 0)
], HealthController.prototype, "live", null);
__decorate([
    Get('health/ready'),
    ApiOperation({ summary: 'Readiness: database reachable, migrations applied, model loaded (or embeddings disabled), Redis reachable when used.' }),
    HealthCheck(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", void 0)
], HealthController.prototype, "ready", null);
__decorate([
    Get('metrics'),
    ApiExcludeEndpoint(),
    Header('Content-Type', registry.contentType),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", void 0)
], HealthController.prototype, "metrics", null);
HealthController = __decorate([
    ApiTags('health'),
    Public(),
    Controller(),
    __param(5, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [HealthCheckService,
        HealthIndicatorService,
        DataSource,
        SchemaStateService,
        ShutdownState, Object, ModuleRef])
], HealthController);
export { HealthController };
//# sourceMappingURL=health.controller.js.map