import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import type { UsageRecord, UsageSink } from '../../libs/contracts/usage.js';
import { metrics } from '../../libs/observability/index.js';
import { SchemaStateService } from '../core/schema-state.service.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { UsageRepository, type UsageIncrement } from './usage.repository.js';

/**
 * Distinct counters (key × minute × metric × dimension) held in memory at most. Routes and modes
 * are bounded sets, so this is only reached when the database has been unreachable for a long
 * time; past it, new counters are dropped (and counted in sift_usage_dropped_total) rather than
 * growing the heap without bound.
 */
export const MAX_PENDING_COUNTERS = 50_000;

const MINUTE_MS = 60_000;

/**
 * The process's {@link UsageSink}: `record()` adds to an in-memory counter and returns; a timer
 * writes every counter in one multi-row upsert every USAGE_FLUSH_INTERVAL. A failed flush puts
 * its counters back (merged with what arrived meanwhile) for the next tick. `close()` is the last
 * flush, called by CoreShutdown after the HTTP server has stopped and before the pool closes.
 */
@Injectable()
export class UsageMeter implements UsageSink, OnApplicationBootstrap {
  private readonly log = new Logger('Usage');
  private pending = new Map<string, UsageIncrement>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;
  /** The clock for minute buckets (a seam for tests). */
  now: () => number = Date.now;

  constructor(
    private readonly repo: UsageRepository,
    private readonly schema: SchemaStateService,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  get enabled(): boolean {
    return this.cfg.USAGE_METERING !== false;
  }

  /** Counters waiting for a flush. */
  get pendingCount(): number {
    return this.pending.size;
  }

  onApplicationBootstrap() {
    if (!this.enabled) return;
    void this.schema.ready.then(() => {
      if (this.closed) return;
      this.timer = setInterval(() => void this.flush().catch(() => undefined), this.cfg.USAGE_FLUSH_INTERVAL ?? 5000);
      this.timer.unref();
    });
  }

  record(u: UsageRecord): void {
    // Never let one odd record poison a whole batch: whole, finite, non-negative quantities only.
    if (!this.enabled || !(u.quantity >= 0) || !Number.isFinite(u.quantity)) return;
    const quantity = Math.round(u.quantity);
    const minuteMs = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const cost = u.costNanoUsd && Number.isSafeInteger(u.costNanoUsd) && u.costNanoUsd > 0 ? BigInt(u.costNanoUsd) : 0n;
    this.add({ keyId: u.keyId, minuteMs, metric: u.metric, dimension: u.dimension.slice(0, 200), quantity, costNanoUsd: cost }, this.pending);
  }

  /** Writes every pending counter in one statement; on failure they are kept for the next flush. */
  flush(): Promise<void> {
    // One flush at a time: a second caller waits for the running one, then flushes what is left.
    const run = (this.flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.flushOnce());
    this.flushing = run;
    return run;
  }

  /** Last flush at shutdown: a few tries, then what could not be written is logged as lost. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (!this.enabled) return;
    for (let attempt = 1; this.pending.size && attempt <= 3; attempt++) {
      try {
        await this.flush();
      } catch (err) {
        if (attempt === 3) this.log.error({ msg: 'usage counters lost at shutdown: the database did not take the last flush', counters: this.pending.size, error: (err as Error).message });
        else await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async flushOnce(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const started = performance.now();
    try {
      await this.repo.add([...batch.values()]);
      metrics.usageFlushSeconds.observe((performance.now() - started) / 1000);
      metrics.usageFlushedCounters.inc(batch.size);
    } catch (err) {
      metrics.usageFlushFailures.inc();
      // Put them back under what arrived meanwhile; the next flush writes both.
      for (const c of batch.values()) this.add(c, this.pending);
      this.log.warn({ msg: 'usage flush failed; counters kept for the next flush', counters: this.pending.size, error: (err as Error).message });
      throw err;
    }
  }

  private add(c: UsageIncrement, into: Map<string, UsageIncrement>) {
    const id = `${c.keyId ?? ''}\u0000${c.minuteMs}\u0000${c.metric}\u0000${c.dimension}`;
    const have = into.get(id);
    if (have) {
      have.quantity += c.quantity;
      have.costNanoUsd += c.costNanoUsd;
      return;
    }
    if (into.size >= MAX_PENDING_COUNTERS) {
      metrics.usageDropped.inc(c.quantity);
      return;
    }
    into.set(id, { ...c });
  }
}
