import { Module, type DynamicModule } from '@nestjs/common';
import type { SiftConfig } from '../libs/config/index.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { LlmModule } from './llm/llm.module.js';
import { ApiModule } from './api/api.module.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './health/health.module.js';
import { RelayModule } from './relay/relay.module.js';
import { WorkerModule } from './worker/worker.module.js';

/**
 * Composes the role modules this process runs, and nothing else. A role that is not selected is
 * not imported, so it opens no connections and starts no loops.
 */
@Module({})
export class AppModule {
  static forRoles(cfg: SiftConfig): DynamicModule {
    const roles = new Set(cfg.roles);
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(cfg),
        HealthModule,
        AlertsModule,
        ...(roles.has('api') || roles.has('worker') ? [LlmModule] : []),
        ...(roles.has('relay') ? [RelayModule] : []),
        ...(roles.has('api') ? [ApiModule] : []),
        ...(roles.has('worker') ? [WorkerModule] : []),
      ],
    };
  }
}
