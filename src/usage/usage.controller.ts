import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireScope } from '../api/auth/auth.decorators.js';
import { byBucket, byKey, summarize } from './usage-report.js';
import { AdminUsageDto, AdminUsageQuery, resolveRange, UsageDto, UsageQuery } from './usage.dto.js';
import { UsageRepository } from './usage.repository.js';

/** Rows read per answer at most (the range bounds keep a normal answer far below it). */
const ROW_LIMIT = 100_000;

type WithPrincipal = Request & { principal?: { keyId: string } };

@ApiTags('usage')
@ApiBearerAuth()
@Controller()
export class UsageController {
  constructor(private readonly repo: UsageRepository) {}

  @Get('usage')
  @ApiOperation({ summary: 'The calling key\'s own usage by minute, hour or day: requests by route and status class, searches by mode, query embeddings, embedding and LLM tokens, cost. Counters are written every USAGE_FLUSH_INTERVAL, so the last seconds may not show yet.' })
  @ApiOkResponse({ type: UsageDto })
  async mine(@Query() q: UsageQuery, @Req() req: WithPrincipal): Promise<UsageDto> {
    const range = resolveRange(q);
    const keyId = req.principal?.keyId ?? null;
    const rows = await this.repo.rows({ ...range, keyId }, ROW_LIMIT + 1);
    const truncated = rows.length > ROW_LIMIT;
    const kept = rows.slice(0, ROW_LIMIT);
    return { granularity: range.granularity, from: range.from.toISOString(), to: range.to.toISOString(), truncated, keyId, buckets: byBucket(kept), totals: summarize(kept) };
  }

  @Get('admin/usage')
  @RequireScope('admin')
  @ApiOperation({ summary: 'Usage of every key (or one, with keyId): per-bucket sums over all keys and per-key totals over the range.' })
  @ApiOkResponse({ type: AdminUsageDto })
  async all(@Query() q: AdminUsageQuery): Promise<AdminUsageDto> {
    const range = resolveRange(q);
    const filter = { ...range, keyId: q.keyId };
    const [rows, totals] = await Promise.all([this.repo.rows(filter, ROW_LIMIT + 1), this.repo.totals(filter)]);
    const truncated = rows.length > ROW_LIMIT;
    return { granularity: range.granularity, from: range.from.toISOString(), to: range.to.toISOString(), truncated, buckets: byBucket(rows.slice(0, ROW_LIMIT)), keys: byKey(totals) };
  }
}
