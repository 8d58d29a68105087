import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { SiftConfig } from '../../libs/config/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { MomentumApiModule } from '../momentum/momentum-api.module.js';
import { AdminKeysController } from './auth/admin-keys.controller.js';
import { ApiAuthGuard } from './auth/api-auth.guard.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { EventsController } from './events/events.controller.js';
import { EventsRepository } from './events/events.repository.js';
import { SourcesController } from './sources/sources.controller.js';
import { SourcesService } from './sources/sources.service.js';
import { MemoryCounterStore, RedisCounterStore, type CounterStore } from './limits/counter-store.js';
import { SearchBudget } from './limits/search-budget.js';
import { SearchGateInterceptor } from './limits/search-gate.js';
import { COUNTER_STORE } from './limits/tokens.js';
import { SlowConsumers } from './realtime/clients.js';
import { ConnectionAuth } from './realtime/connection-auth.js';
import { EventsGateway } from './realtime/events.gateway.js';
import { FanOut } from './realtime/fan-out.js';
import { Replay } from './realtime/replay.js';
import { SubscriptionRegistry } from './realtime/subscription-registry.js';
import { SearchController } from './search/search.controller.js';
import { SearchService } from './search/search.service.js';

@Module({
  imports: [EmbeddingsModule, MomentumApiModule],
  controllers: [EventsController, SearchController, AdminKeysController, SourcesController],
  providers: [
    EventsRepository,
    SourcesService,
    SearchService,
    EventsGateway,
    ConnectionAuth,
    SubscriptionRegistry,
    Replay,
    FanOut,
    SlowConsumers,
    ApiKeysService,
    SearchBudget,
    {
      provide: COUNTER_STORE,
      inject: [SIFT_CONFIG],
      useFactory: (cfg: SiftConfig): CounterStore =>
        cfg.REDIS_URL ? new RedisCounterStore(cfg.REDIS_URL, `${cfg.REDIS_KEY_PREFIX}:limits`) : new MemoryCounterStore(),
    },
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: SearchGateInterceptor },
  ],
  exports: [ApiKeysService],
})
export class ApiModule {}
