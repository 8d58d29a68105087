import { AlertsApiModule } from '../alerts/alerts.module.js';
import { WatchesApiModule } from '../watches/watches.module.js';
import { LlmApiModule } from '../llm/llm.module.js';
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { EventsApiModule, EventsModule } from '../events/events.module.js';
import { ModelsApiModule } from '../models/models.module.js';
import { MomentumApiModule } from '../momentum/momentum-api.module.js';
import { RelayDataModule } from '../relay/relay.module.js';
import { SearchModule } from '../search/search.module.js';
import { HttpMeteringMiddleware } from '../usage/http-metering.middleware.js';
import { UsageApiModule } from '../usage/usage.module.js';
import { AdminKeysController } from './auth/admin-keys.controller.js';
import { ApiAuthGuard } from './auth/api-auth.guard.js';
import { ApiKeysRepository } from './auth/api-keys.repository.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { LimitsModule } from './limits/limits.module.js';
import { SearchGateInterceptor } from './limits/search-gate.js';
import { EventsGateway } from './realtime/events.gateway.js';
import { SourcesController } from './sources/sources.controller.js';
import { SourcesService } from './sources/sources.service.js';
import { SlowConsumers } from './realtime/clients.js';
import { SystemController } from './system/system.controller.js';
import { SystemService } from './system/system.service.js';
import { ConnectionAuth } from './realtime/connection-auth.js';
import { FanOut } from './realtime/fan-out.js';
import { Replay } from './realtime/replay.js';
import { SubscriptionRegistry } from './realtime/subscription-registry.js';

/**
 * The api role: selects the feature modules that serve HTTP and socket.io, and holds what is
 * the API's own (keys and auth, rate limits, the realtime gateway, the sources view).
 */
@Module({
  imports: [LimitsModule, EmbeddingsModule, EventsModule, EventsApiModule, SearchModule, MomentumApiModule, RelayDataModule, UsageApiModule, ModelsApiModule, LlmApiModule, AlertsApiModule, WatchesApiModule],
  controllers: [AdminKeysController, SourcesController, SystemController],
  providers: [
    ApiKeysRepository,
    ConnectionAuth,
    SubscriptionRegistry,
    Replay,
    FanOut,
    SlowConsumers,
    ApiKeysService,
    SourcesService,
    SystemService,
    EventsGateway,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: SearchGateInterceptor },
  ],
  exports: [ApiKeysService],
})
export class ApiModule implements NestModule {
  // Every request, matched or not: usage per key and the per-route latency histogram.
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(HttpMeteringMiddleware).forRoutes('{*path}');
  }
}
