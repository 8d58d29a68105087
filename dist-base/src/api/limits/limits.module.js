var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { MemoryCounterStore, RedisCounterStore } from './counter-store.js';
import { SearchBudget } from './search-budget.js';
import { COUNTER_STORE } from './tokens.js';
/** Rate-limit counters (Redis when configured, so limits hold across api instances) and the query-embedding budget. */
let LimitsModule = class LimitsModule {
};
LimitsModule = __decorate([
    Module({
        providers: [
            {
                provide: COUNTER_STORE,
                inject: [SIFT_CONFIG],
                useFactory: (cfg) => cfg.REDIS_URL ? new RedisCounterStore(cfg.REDIS_URL, `${cfg.REDIS_KEY_PREFIX}:limits`) : new MemoryCounterStore(),
            },
            SearchBudget,
        ],
        exports: [COUNTER_STORE, SearchBudget],
    })
], LimitsModule);
export { LimitsModule };
//# sourceMappingURL=limits.module.js.map