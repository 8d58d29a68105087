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
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Db } from '../../libs/database/index.js';
import { entityKind } from '../../libs/contracts/trends.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { scoreEntity } from './momentum-score.js';
import { MomentumRepository } from './momentum.repository.js';
import { computeTrends, momentumSettingsOf } from './momentum.service.js';
import { TrendEntityParam, TrendSeriesDto, TrendSeriesQuery, TrendsDto, TrendsQuery } from './trends.dto.js';
let TrendsController = class TrendsController {
    db;
    settings;
    constructor(db, cfg) {
        this.db = db;
        this.settings = momentumSettingsOf(cfg);
    }
    async list(q) {
        const s = this.settings;
        const limit = q.limit ?? s.topN;
        const live = q.source !== undefined || q.kind !== undefined || q.window !== undefined || q.baseline !== undefined;
        if (!live) {
            const snap = await MomentumRepository.latestSnapshot(this.db);
            if (snap)
                return {
                    computedAt: snap.computedAt,
                    from: 'snapshot',
                    snapshotId: snap.id,
                    source: null,
                    kind: null,
                    shortWindowMinutes: snap.shortWindowMinutes,
                    baselineMinutes: snap.baselineMinutes,
                    items: snap.items.slice(0, limit),
                };
        }
        const p = { ...s, shortMinutes: q.window ?? s.shortMinutes, baselineMinutes: q.baseline ?? s.baselineMinutes, topN: limit };
        const t = await computeTrends(this.db, p, { source: q.source, kind: q.kind });
        return {
            computedAt: t.at,
            from: 'live',
            snapshotId: null,
            source: q.source ?? null,
            kind: q.kind ?? null,
            shortWindowMinutes: p.shortMinutes,
            baselineMinutes: p.baselineMinutes,
            items: t.items,
        };
    }
    async series(p, q) {
        const s = this.settings;
        const step = q.step ?? 1;
        const [points, counts] = await Promise.all([
            MomentumRepository.series(this.db, p.entity, q.minutes ?? 360, step, { source: q.source }),
            MomentumRepository.windowCounts(this.db, { ...s, minCount: 1 }, { source: q.source, entity: p.entity }),
        ]);
        const row = counts.rows[0];
        const scored = row ? scoreEntity(row, s, counts.span) : undefined;
        return {
            entity: p.entity,
            kind: entityKind(p.entity),
            source: q.source ?? null,
            stepMinutes: step,
            points,
            current: scored
                ? { score: scored.score, z: scored.z, acceleration: scored.acceleration, count: scored.count, baselineCount: scored.baselineCount, expected: scored.expected, eligible: scored.eligible }
                : null,
        };
    }
};
__decorate([
    Get(),
    ApiOperation({
        summary: 'Entities gaining momentum: each compared with its own baseline rate, strongest first, with counts and per-minute sparklines.',
        description: 'Without filters this is the latest leaderboard of the momentum job (also broadcast as `trends.changed`). With `source`, `kind`, `window` or `baseline` it is computed for the request from the per-minute counts.',
    }),
    ApiOkResponse({ type: TrendsDto }),
    __param(0, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TrendsQuery]),
    __metadata("design:returntype", Promise)
], TrendsController.prototype, "list", null);
__decorate([
    Get(':entity'),
    ApiOperation({ summary: 'One entity\'s mentions over time (per-minute counts rolled up to `step`), and its momentum now.' }),
    ApiOkResponse({ type: TrendSeriesDto }),
    __param(0, Param()),
    __param(1, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TrendEntityParam, TrendSeriesQuery]),
    __metadata("design:returntype", Promise)
], TrendsController.prototype, "series", null);
TrendsController = __decorate([
    ApiTags('trends'),
    ApiBearerAuth(),
    Controller('trends'),
    __param(1, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [Db, Object])
], TrendsController);
export { TrendsController };
//# sourceMappingURL=trends.controller.js.map