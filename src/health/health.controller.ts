import { Controller, Get, Header, Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { SiftConfig } from '../../libs/config/index.js';
import { registry } from '../../libs/observability/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { RelayService } from '../relay/relay.service.js';
import { ShutdownState } from './shutdown-state.js';
import { Public } from '../api/auth/auth.decorators.js';

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer within ${ms}ms`)), ms).unref())]);

@ApiTags('health')
@Public()
@Controller()
export class HealthController implements OnApplicationBootstrap {
  private redis?: Redis;
  // Resolved across modules: present only when this process runs the role that owns them.
  private embeddings?: EmbeddingsService;
  private relay?: RelayService;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly ds: DataSource,
    private readonly schema: SchemaStateService,
    private readonly shutdown: ShutdownState,
    @Inject(SIFT_CONFIG) cfg: SiftConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    if (cfg.REDIS_URL) {
      this.redis = new Redis(cfg.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      this.redis.on('error', () => undefined);
    }
  }

  onApplicationBootstrap() {
    const find = <T>(t: new (...a: any[]) => T): T | undefined => {
      try {
        return this.moduleRef.get(t, { strict: false });
      } catch {
        return undefined;
      }
    };
    this.embeddings = find(EmbeddingsService);
    this.relay = find(RelayService);
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process is up. Checks no dependency.' })
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicator.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: database reachable, migrations applied, model loaded (or embeddings disabled), Redis reachable when used.' })
  @HealthCheck()
  ready() {
    const checks: (() => Promise<HealthIndicatorResult> | HealthIndicatorResult)[] = [
      () => (this.shutdown.draining ? this.indicator.check('lifecycle').down({ message: 'shutting down' }) : this.indicator.check('lifecycle').up()),
      async () => {
        const s = this.indicator.check('database');
        try {
          await withTimeout(this.ds.query('SELECT 1'), 2000, 'database');
          return s.up();
        } catch (err) {
          return s.down({ message: (err as Error).message });
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
        const st = this.embeddings!.status;
        if (st.state === 'ready') return s.up({ model: st.model, dims: st.dims, device: st.device, links: st.links, skipped: st.skipped });
        // Disabled is a decision, not an outage: ready, but flagged.
        if (st.state === 'disabled') return s.degraded({ disabled: true, reason: st.reason, failures: st.failures });
        return s.down({ state: 'loading' });
      });
    }
    if (this.redis) {
      checks.push(async () => {
        const s = this.indicator.check('redis');
        try {
          if (this.redis!.status === 'wait' || this.redis!.status === 'end') await this.redis!.connect().catch(() => undefined);
          await withTimeout(this.redis!.ping(), 2000, 'redis');
          return s.up();
        } catch (err) {
          return s.down({ message: (err as Error).message });
        }
      });
    }
    if (this.relay) {
      // Source trouble is reported, not fatal: the relay is still doing its job by retrying.
      checks.push(() => {
        const sources = this.relay!.status();
        const s = this.indicator.check('relay');
        const data = { sources: sources.map((x) => ({ name: x.name, state: x.state, lastFrameAt: x.lastFrameAt, reconnects: x.reconnects, eventAgeSeconds: x.eventAgeSeconds, relayLagSeconds: x.relayLagSeconds })) };
        return sources.every((x) => x.state === 'connected') ? s.up(data) : s.degraded(data);
      });
    }
    return this.health.check(checks);
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', registry.contentType)
  metrics() {
    return registry.metrics();
  }

  onModuleDestroy() {
    this.redis?.disconnect();
  }
}
