import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { ALERT_SINK, type AlertSink } from '../../libs/contracts/alerts.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { ModelsService } from '../models/models.service.js';
import { matches, step, words, type BatchEvent } from './watch-match.js';
import { WatchesRepository, type WatchState, type WatchStateUpdate } from './watches.repository.js';

/**
 * The worker's watch evaluation: every WATCH_INTERVAL_MS, the next batch of stored events after
 * the cursor is read ONCE (with its vectors), compared against every active watch in process
 * (query vectors cached on the watch rows), and the trigger state plus cursor committed in one
 * transaction. A constant number of statements per batch whatever the watch count. Alerts carry
 * a deterministic once-key (watch + first firing event), so re-evaluating a batch after a crash
 * never raises twice.
 */
@Injectable()
export class WatchEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Watches');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    private readonly repo: WatchesRepository,
    private readonly vectors: EmbeddingsRepository,
    private readonly models: ModelsService,
    @Optional() @Inject(ALERT_SINK) private readonly alerts?: AlertSink,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drain()
        .catch((err) => this.log.warn({ msg: 'watch evaluation failed; retried next tick', error: (err as Error).message }))
        .finally(() => (this.running = undefined));
    }, this.cfg.WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  /** Evaluates batches until caught up. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.evaluateBatch();
      total += n;
      if (n < this.cfg.WATCH_BATCH_MAX) return total;
    }
  }

  /** Re-embeds the queries of watches whose vector came from another model than the query model (one embed call, one statement). */
  private async refreshVectors(watches: WatchState[], modelId: string) {
    const stale = watches.filter((w) => w.mode !== 'keyword' && w.queryModelId !== modelId);
    if (!stale.length) return;
    const model = await this.models.forQueries();
    if (!model || model.id !== modelId) return;
    const vs = await model.embed(stale.map((w) => w.query));
    await this.repo.setQueryVectors(modelId, stale.map((w, i) => ({ id: w.id, vector: vs[i]! })));
    stale.forEach((w, i) => ((w.queryVector = vs[i]!), (w.queryModelId = modelId)));
  }

  /** One batch: returns how many events it consumed (0 = caught up). */
  async evaluateBatch(): Promise<number> {
    const model = await this.models.forQueries();
    const modelId = model?.id ?? null;
    const watches = await this.repo.active();
    if (modelId) await this.refreshVectors(watches, modelId);
    const after = await this.repo.cursor();
    const rows = await this.vectors.eventsWithVectorsAfter(modelId, after, this.cfg.WATCH_BATCH_MAX);
    if (!rows.length) return 0;
    // Semantic watches need vectors: stop before the first event still waiting for one (unless
    // it has waited past the grace, e.g. it failed to embed), so it is evaluated once it has.
    const needVectors = modelId && watches.some((w) => w.mode !== 'keyword');
    const graceEnd = Date.now() - this.cfg.WATCH_VECTOR_GRACE_MS;
    let batch: BatchEvent[] = rows;
    if (needVectors) {
      const firstMissing = rows.findIndex((r) => !r.vector && r.ingestedAt.getTime() > graceEnd);
      if (firstMissing === 0) return 0;
      if (firstMissing > 0) batch = rows.slice(0, firstMissing);
    }
    const { updates, firings } = evaluate(watches, batch, new Date());
    for (const f of firings) {
      const w = f.watch;
      const title = `watch "${w.name}": ${f.count} matching event${f.count === 1 ? '' : 's'}`;
      await this.alerts?.raise({
        kind: 'watch',
        severity: 'info',
        title,
        ownerKeyId: w.ownerKeyId,
        onceKey: `watch:${w.id}:${f.firstEventId}`,
        detail: { watchId: w.id, watchName: w.name, query: w.query, count: f.count, eventIds: f.sampleEventIds, bestSimilarity: f.bestSimilarity },
      });
    }
    await this.repo.commitBatch(batch[batch.length - 1]!.id, updates);
    return batch.length;
  }
}

/** Pure: every watch against every event of the batch, in process. */
export function evaluate(watches: WatchState[], batch: BatchEvent[], now: Date) {
  const keywordSets = new Map(watches.map((w) => [w.id, words(w.query)]));
  const hits = new Map<string, { eventId: string; at: Date; similarity: number | null }[]>();
  for (const e of batch) {
    const textWords = new Set(words(e.text));
    for (const w of watches) {
      const m = matches(w, e, keywordSets, textWords);
      if (!m.match) continue;
      let list = hits.get(w.id);
      if (!list) hits.set(w.id, (list = []));
      list.push({ eventId: e.id, at: e.ingestedAt, similarity: m.similarity });
    }
  }
  const updates: WatchStateUpdate[] = [];
  const firings = [];
  for (const w of watches) {
    const r = step(w, hits.get(w.id) ?? [], now);
    if (r.update) updates.push(r.update);
    if (r.firing) firings.push(r.firing);
  }
  return { updates, firings };
}
