import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Db } from '../../libs/database/index.js';
import type { SiftConfig } from '../../libs/config/index.js';
import { entityKind } from '../../libs/contracts/trends.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { scoreEntity } from './momentum-score.js';
import { MomentumRepository } from './momentum.repository.js';
import { computeTrends, momentumSettingsOf, type MomentumSettings } from './momentum.service.js';
import { TrendEntityParam, TrendSeriesDto, TrendSeriesQuery, TrendsDto, TrendsQuery } from './trends.dto.js';

@ApiTags('trends')
@ApiBearerAuth()
@Controller('trends')
export class TrendsController {
  private readonly settings: MomentumSettings;

  constructor(
    private readonly db: Db,
    @Inject(SIFT_CONFIG) cfg: SiftConfig,
  ) {
    this.settings = momentumSettingsOf(cfg);
  }

  @Get()
  @ApiOperation({
    summary: 'Entities gaining momentum: each compared with its own baseline rate, strongest first, with counts and per-minute sparklines.',
    description:
      'Without filters this is the latest leaderboard of the momentum job (also broadcast as `trends.changed`). With `source`, `kind`, `window` or `baseline` it is computed for the request from the per-minute counts.',
  })
  @ApiOkResponse({ type: TrendsDto })
  async list(@Query() q: TrendsQuery): Promise<TrendsDto> {
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

  @Get(':entity')
  @ApiOperation({ summary: 'One entity\'s mentions over time (per-minute counts rolled up to `step`), and its momentum now.' })
  @ApiOkResponse({ type: TrendSeriesDto })
  async series(@Param() p: TrendEntityParam, @Query() q: TrendSeriesQuery): Promise<TrendSeriesDto> {
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
}
