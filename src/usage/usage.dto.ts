import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, Matches } from 'class-validator';
import { GRANULARITIES, type Granularity } from './usage.repository.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const UNIT_MS: Record<Granularity, number> = { minute: 60_000, hour: HOUR_MS, day: DAY_MS };
/** Longest range per granularity (at most ~1500 buckets per answer). */
export const MAX_RANGE_MS: Record<Granularity, number> = { minute: DAY_MS, hour: 62 * DAY_MS, day: 1000 * DAY_MS };
/** Range when `from` is not given: the last … */
const DEFAULT_RANGE_MS: Record<Granularity, number> = { minute: HOUR_MS, hour: DAY_MS, day: 30 * DAY_MS };

export class UsageQuery {
  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Start (ISO 8601), rounded down to the granularity. Default: `to` minus 1 h (minute), 24 h (hour) or 30 d (day).' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  @ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'End, exclusive (ISO 8601). Default: now.' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;

  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'hour', description: 'Bucket size. Longest range: 1 day by minute, 62 days by hour, 1000 days by day.' })
  @IsOptional() @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;
}

export class AdminUsageQuery extends UsageQuery {
  @ApiPropertyOptional({ description: 'Only this key: its id (uuid), or `admin` for API_ADMIN_KEY.' })
  @IsOptional() @Matches(/^(admin|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'keyId must be a key id (uuid) or admin' })
  keyId?: string;
}

/** Defaults and bounds; a 400 naming the parameter when the range is backwards or too long. */
export function resolveRange(q: UsageQuery, now = Date.now()): { granularity: Granularity; from: Date; to: Date } {
  const granularity = q.granularity ?? 'hour';
  const to = q.to ?? new Date(now);
  const unit = UNIT_MS[granularity];
  const rawFrom = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS[granularity]);
  const from = new Date(Math.floor(rawFrom.getTime() / unit) * unit);
  if (to.getTime() <= rawFrom.getTime()) throw new BadRequestException([`to must be after from (from=${rawFrom.toISOString()}, to=${to.toISOString()})`]);
  if (to.getTime() - from.getTime() > MAX_RANGE_MS[granularity]) {
    throw new BadRequestException([`from: the range is too long for granularity=${granularity} (at most ${MAX_RANGE_MS[granularity] / DAY_MS} days); use a coarser granularity or a later from`]);
  }
  return { granularity, from, to };
}

class RequestCountDto {
  @ApiProperty({ example: 'GET /events/:id', description: 'Method and route template (`unmatched` when no route matched).' }) route!: string;
  @ApiProperty({ example: '2xx' }) statusClass!: string;
  @ApiProperty({ example: 42 }) count!: number;
}
class ModeCountDto {
  @ApiProperty({ example: 'hybrid', description: 'Mode actually served (after any fallback).' }) mode!: string;
  @ApiProperty({ example: 7 }) count!: number;
}
class ModelCountDto {
  @ApiProperty({ example: 'glove-100d@1' }) model!: string;
  @ApiProperty({ example: 5 }) count!: number;
}
class EmbeddingTokensDto {
  @ApiProperty({ example: 'openai' }) link!: string;
  @ApiProperty({ example: 1200 }) tokens!: number;
  @ApiProperty({ example: '0.000024000', description: 'USD, exact decimal string.' }) costUsd!: string;
}
class LlmUsageDto {
  @ApiProperty({ example: 'local' }) link!: string;
  @ApiProperty({ example: 3 }) calls!: number;
  @ApiProperty({ example: 900 }) tokensIn!: number;
  @ApiProperty({ example: 240 }) tokensOut!: number;
  @ApiProperty({ example: '0.000510000', description: 'USD, exact decimal string.' }) costUsd!: string;
}

export class UsageSummaryDto {
  @ApiProperty({ type: [RequestCountDto] }) requests!: RequestCountDto[];
  @ApiProperty({ type: [ModeCountDto] }) searches!: ModeCountDto[];
  @ApiProperty({ type: [ModelCountDto] }) queryEmbeddings!: ModelCountDto[];
  @ApiProperty({ type: [EmbeddingTokensDto] }) embeddingTokens!: EmbeddingTokensDto[];
  @ApiProperty({ type: [LlmUsageDto] }) llm!: LlmUsageDto[];
  @ApiProperty({ example: '0.000534000', description: 'Total cost in USD, exact decimal string (summed from integer nano-USD).' }) costUsd!: string;
}

export class UsageBucketDto extends UsageSummaryDto {
  @ApiProperty({ example: '2026-11-24T08:00:00Z', description: 'Bucket start (UTC).' }) start!: string;
}

export class KeyUsageDto extends UsageSummaryDto {
  @ApiProperty({ nullable: true, type: String, description: 'Key id; null for requests with no key (anonymous, internal work).' }) keyId!: string | null;
}

class UsageRangeDto {
  @ApiProperty({ enum: GRANULARITIES }) granularity!: Granularity;
  @ApiProperty({ example: '2026-11-24T00:00:00.000Z', description: 'Effective start (rounded down to the granularity).' }) from!: string;
  @ApiProperty({ example: '2026-11-25T00:00:00.000Z' }) to!: string;
  @ApiProperty({ description: 'True when the answer was cut at the row limit: narrow the range.' }) truncated!: boolean;
}

export class UsageDto extends UsageRangeDto {
  @ApiProperty({ nullable: true, type: String, description: 'The caller\'s key id (null when API keys are not enforced).' }) keyId!: string | null;
  @ApiProperty({ type: [UsageBucketDto], description: 'One entry per bucket that has usage, oldest first.' }) buckets!: UsageBucketDto[];
  @ApiProperty({ type: UsageSummaryDto, description: 'Sums over the whole range.' }) totals!: UsageSummaryDto;
}

export class AdminUsageDto extends UsageRangeDto {
  @ApiProperty({ type: [UsageBucketDto], description: 'All keys (or `keyId`) summed per bucket, oldest first.' }) buckets!: UsageBucketDto[];
  @ApiProperty({ type: [KeyUsageDto], description: 'Totals over the range, per key.' }) keys!: KeyUsageDto[];
}
