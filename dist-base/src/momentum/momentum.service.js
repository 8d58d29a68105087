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
import { Counter, Gauge, Histogram } from 'prom-client';
import { EVENT_BUS, TOPICS } from '../../libs/bus/event-bus.js';
import { Db } from '../../libs/database/index.js';
import { registry } from '../../libs/observability/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { diffLeaderboards, hasChanges, rankEntities } from './momentum-score.js';
import { MomentumRepository } from './momentum.repository.js';
/** Only one recompute runs at a time across every worker (transaction-scoped, so never leaked). */
export const MOMENTUM_LOCK_KEY = 0x534946544d4f4d45n; // "SIFTMOME"
const r = [registry];
export const momentumMetrics = {
    runs: new Counter({ name: 'sift_momentum_runs_total', help: 'Leaderboard recomputes by result (skipped = another worker held the lock)', labelNames: ['result'], registers: r }),
    seconds: new Histogram({ name: 'sift_momentum_recompute_seconds', help: 'Duration of one leaderboard recompute', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    candidates: new Gauge({ name: 'sift_momentum_candidates', help: 'Entities with minimum support in the short window at the last recompute', registers: r }),
    changes: new Counter({ name: 'sift_momentum_changes_total', help: 'Leaderboard changes broadcast', labelNames: ['kind'], registers: r }),
};
const minutesOf = (ms) => Math.max(1, Math.round(ms / 60_000));
export const momentumSettingsOf = (cfg) => ({
    shortMinutes: minutesOf(cfg.MOMENTUM_SHORT_WINDOW),
    baselineMinutes: minutesOf(cfg.MOMENTUM_BASELINE_WINDOW),
    minCount: cfg.MOMENTUM_MIN_COUNT,
    smoothing: cfg.MOMENTUM_SMOOTHING,
    minScore: cfg.MOMENTUM_MIN_SCORE,
    minZ: cfg.MOMENTUM_MIN_Z,
    topN: cfg.MOMENTUM_TOP_N,
    alertScore: cfg.MOMENTUM_ALERT_SCORE ?? 3,
    sparklinePoints: cfg.MOMENTUM_SPARKLINE_POINTS,
    countsRetentionMs: cfg.MOMENTUM_COUNTS_RETENTION ?? 48 * 3_600_000,
    snapshotRetentionMs: cfg.MOMENTUM_SNAPSHOT_RETENTION ?? 24 * 3_600_000,
});
/** Scores every candidate entity and builds the leaderboard with sparklines, all from the database clock. */
export async function computeTrends(q, p, f = {}) {
    const { rows, span, at } = await MomentumRepository.windowCounts(q, p, f);
    const { all, top } = rankEntities(rows, p, span);
    const lines = await MomentumRepository.sparklines(q, top.map((t) => t.entity), p.sparklinePoints, f);
    return {
        at,
        items: top.map((t) => ({ ...t, sparkline: lines.get(t.entity) ?? [] })),
        scores: new Map(all.map((s) => [s.entity, s.score])),
        candidates: rows.length,
    };
}
/**
 * The momentum job: recompute the leaderboard in one transaction holding a transaction-level
 * advisory lock (a second worker that gets the same tick, or a run overlapping a slow one, skips),
 * store it as a snapshot, diff it against the previous snapshot (in the database, so the diff is
 * right whichever worker ran last), and publish the changes after commit.
 */
let MomentumService = class MomentumService {
    db;
    bus;
    settings;
    constructor(db, cfg, bus) {
        this.db = db;
        this.bus = bus;
        this.settings = momentumSettingsOf(cfg);
    }
    async recompute() {
        const t0 = performance.now();
        const s = this.settings;
        let out;
        try {
            const done = await this.db.withTransaction(async (q) => {
                const [{ locked }] = await q.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [MOMENTUM_LOCK_KEY.toString()]);
                if (!locked)
                    return undefined; // nothing written: the COMMIT ends an empty transaction
                const computed = await computeTrends(q, s);
                const prev = await MomentumRepository.latestSnapshot(q);
                const changes = diffLeaderboards(prev?.items, computed.items, computed.scores, s.alertScore);
                const snap = await MomentumRepository.insertSnapshot(q, { shortWindowMinutes: s.shortMinutes, baselineMinutes: s.baselineMinutes, items: computed.items, changes });
                await this.cleanup(q);
                return { computed, changes, snap };
            });
            if (!done) {
                momentumMetrics.runs.inc({ result: 'skipped' });
                return { ran: false, reason: 'locked' };
            }
            const { computed, changes, snap } = done;
            momentumMetrics.candidates.set(computed.candidates);
            const changed = hasChanges(changes)
                ? { snapshotId: snap.id, computedAt: snap.computedAt, shortWindowMinutes: s.shortMinutes, baselineMinutes: s.baselineMinutes, top: computed.items, ...changes }
                : null;
            out = { ran: true, snapshotId: snap.id, computedAt: snap.computedAt, items: computed.items, changed, durationMs: performance.now() - t0 };
        }
        catch (err) {
            momentumMetrics.runs.inc({ result: 'failed' });
            throw err;
        }
        momentumMetrics.runs.inc({ result: 'ran' });
        momentumMetrics.seconds.observe(out.durationMs / 1000);
        if (out.changed) {
            momentumMetrics.changes.inc({ kind: 'entered' }, out.changed.entered.length);
            momentumMetrics.changes.inc({ kind: 'left' }, out.changed.left.length);
            momentumMetrics.changes.inc({ kind: 'crossed' }, out.changed.crossed.length);
            await this.bus.publish(TOPICS.trendsChanged, out.changed);
        }
        return out;
    }
    /** Retention of counts and snapshots, a little each run (the newest snapshot always stays). */
    async cleanup(q) {
        const s = this.settings;
        const countsMs = Math.max(s.countsRetentionMs, (s.shortMinutes + s.baselineMinutes + 1) * 60_000);
        await MomentumRepository.deleteOlderThan(q, countsMs, s.snapshotRetentionMs);
    }
};
MomentumService = __decorate([
    Injectable(),
    __param(1, Inject(SIFT_CONFIG)),
    __param(2, Inject(EVENT_BUS)),
    __metadata("design:paramtypes", [Db, Object, Object])
], MomentumService);
export { MomentumService };
//# sourceMappingURL=momentum.service.js.map