import { Logger, Module } from '@nestjs/common';
import type { SiftConfig } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { MemoryCounterStore, RedisCounterStore, type CounterStore } from './counter-store.js';
import { SearchBudget } from './search-budget.js';
import { COUNTER_STORE } from './tokens.js';

/** Rate-limit counters (Redis when configured, so limits hold across api instances) and the query-embedding budget. */
@Module({
  providers: [
    {
      provide: COUNTER_STORE,
      inject: [SIFT_CONFIG],
      useFactory: (cfg: SiftConfig): CounterStore =>
        cfg.REDIS_URL ? new RedisCounterStore(cfg.REDIS_URL, `${cfg.REDIS_KEY_PREFIX}:limits`, new Logger('RateLimits')) : new MemoryCounterStore(),
    },
    SearchBudget,
  ],
  exports: [COUNTER_STORE, SearchBudget],
})
export class LimitsModule {}
