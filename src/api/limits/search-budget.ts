import { Inject, Injectable } from '@nestjs/common';
import type { SiftConfig } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import type { CounterStore } from './counter-store.js';
import { COUNTER_STORE } from './tokens.js';

/**
 * Economic breaker for query embeddings: a global per-minute budget shared by every api
 * instance. When it is spent, search degrades to keyword mode instead of queueing model work.
 */
@Injectable()
export class SearchBudget {
  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
  ) {}

  /** Spends one query embedding; false (with seconds until the window resets) when spent. */
  async take(): Promise<{ ok: true } | { ok: false; resetS: number }> {
    const budget = this.cfg.API_SEARCH_EMBED_BUDGET_PER_MIN ?? Infinity;
    const { count, resetMs } = await this.counters.hit('budget:query-embeddings', 60_000);
    return count <= budget ? { ok: true } : { ok: false, resetS: Math.ceil(resetMs / 1000) };
  }
}
