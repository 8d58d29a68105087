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
import { SIFT_CONFIG } from '../../core/tokens.js';
import { COUNTER_STORE } from './tokens.js';
/**
 * Economic breaker for query embeddings: a global per-minute budget shared by every api
 * instance. When it is spent, search degrades to keyword mode instead of queueing model work.
 */
let SearchBudget = class SearchBudget {
    cfg;
    counters;
    constructor(cfg, counters) {
        this.cfg = cfg;
        this.counters = counters;
    }
    /** Spends one query embedding; false (with seconds until the window resets) when spent. */
    async take() {
        const budget = this.cfg.API_SEARCH_EMBED_BUDGET_PER_MIN ?? Infinity;
        const { count, resetMs } = await this.counters.hit('budget:query-embeddings', 60_000);
        return count <= budget ? { ok: true } : { ok: false, resetS: Math.ceil(resetMs / 1000) };
    }
};
SearchBudget = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __param(1, Inject(COUNTER_STORE)),
    __metadata("design:paramtypes", [Object, Object])
], SearchBudget);
export { SearchBudget };
//# sourceMappingURL=search-budget.js.map