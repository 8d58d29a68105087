import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { EntityKind } from '../../libs/contracts/trends.js';

const KINDS: EntityKind[] = ['cashtag', 'hashtag', 'mention', 'domain'];
const SOURCE = /^[a-z][a-z0-9_-]{0,31}$/;
const ENTITY = /^([$#@]?[\p{L}\p{N}_.-]+)$/u;

export class TrendsQuery {
  @ApiPropertyOptional({ example: 'demo', description: 'Only mentions from this source (computed live).' })
  @IsOptional() @IsString() @Matches(SOURCE, { message: 'source must be a source name like "demo"' })
  source?: string;

  @ApiPropertyOptional({ enum: KINDS, description: 'Only this kind of entity (computed live).' })
  @IsOptional() @IsIn(KINDS, { message: `kind must be one of ${KINDS.join(', ')}` })
  kind?: EntityKind;

  @ApiPropertyOptional({ example: 15, minimum: 1, maximum: 1440, description: 'Short window in minutes (computed live); default MOMENTUM_SHORT_WINDOW.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'window must be a whole number of minutes' }) @Min(1) @Max(1440)
  window?: number;

  @ApiPropertyOptional({ example: 360, minimum: 1, maximum: 43200, description: 'Baseline window in minutes (computed live); default MOMENTUM_BASELINE_WINDOW.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'baseline must be a whole number of minutes' }) @Min(1) @Max(43200)
  baseline?: number;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, description: 'Entries to return; default MOMENTUM_TOP_N.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100)
  limit?: number;
}

export class TrendEntityParam {
  @ApiProperty({ example: '$btc', description: 'The entity, URL-encoded: %24btc, %23ai, %40alice.bsky.social, example.com.' })
  @IsString() @MaxLength(200) @Matches(ENTITY, { message: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  entity!: string;
}

export class TrendSeriesQuery {
  @ApiPropertyOptional({ example: 'demo', description: 'Only mentions from this source.' })
  @IsOptional() @IsString() @Matches(SOURCE, { message: 'source must be a source name like "demo"' })
  source?: string;

  @ApiPropertyOptional({ example: 360, minimum: 1, maximum: 10080, default: 360, description: 'How far back, in minutes.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'minutes must be a whole number' }) @Min(1) @Max(10080)
  minutes?: number;

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: 1440, default: 1, description: 'Bucket width in minutes.' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'step must be a whole number of minutes' }) @Min(1) @Max(1440)
  step?: number;
}

export class TrendItemDto {
  @ApiProperty({ example: 1 }) rank!: number;
  @ApiProperty({ example: '$xyz' }) entity!: string;
  @ApiProperty({ enum: KINDS, example: 'cashtag' }) kind!: EntityKind;
  @ApiProperty({ example: 3.7, description: 'log2((count + k) / (expected + k)); 1 ≈ twice the usual rate.' }) score!: number;
  @ApiProperty({ example: 26.8, description: '(count − expected) / sqrt(expected + k).' }) z!: number;
  @ApiProperty({ example: 1.2, description: 'Score of the second half of the short window minus that of the first half.' }) acceleration!: number;
  @ApiProperty({ example: 60, description: 'Mentions in the short window.' }) count!: number;
  @ApiProperty({ example: 0, description: 'Mentions in the baseline window.' }) baselineCount!: number;
  @ApiProperty({ example: 0, description: 'Mentions the baseline rate predicts for the short window.' }) expected!: number;
  @ApiProperty({ type: [Number], example: [0, 0, 1, 0, 12, 47], description: 'Mentions per minute, oldest first, ending with the current minute.' }) sparkline!: number[];
}

export class TrendsDto {
  @ApiProperty({ example: '2026-11-24T08:00:00.000Z', description: 'Database time the windows end at.' }) computedAt!: string;
  @ApiProperty({ enum: ['snapshot', 'live'], description: 'snapshot: the momentum job\'s latest leaderboard; live: computed for this request (filters or windows given).' })
  from!: 'snapshot' | 'live';
  @ApiProperty({ nullable: true, type: String, example: '1042' }) snapshotId!: string | null;
  @ApiProperty({ nullable: true, type: String }) source!: string | null;
  @ApiProperty({ nullable: true, enum: KINDS }) kind!: EntityKind | null;
  @ApiProperty({ example: 10 }) shortWindowMinutes!: number;
  @ApiProperty({ example: 360 }) baselineMinutes!: number;
  @ApiProperty({ type: [TrendItemDto] }) items!: TrendItemDto[];
}

export class TrendPointDto {
  @ApiProperty({ example: '2026-11-24T08:00:00.000Z', description: 'Bucket start.' }) t!: string;
  @ApiProperty({ example: 12 }) count!: number;
}

export class TrendCurrentDto {
  @ApiProperty({ example: 3.7 }) score!: number;
  @ApiProperty({ example: 26.8 }) z!: number;
  @ApiProperty({ example: 1.2 }) acceleration!: number;
  @ApiProperty({ example: 60 }) count!: number;
  @ApiProperty({ example: 0 }) baselineCount!: number;
  @ApiProperty({ example: 0 }) expected!: number;
  @ApiProperty({ description: 'Meets the minimum count, score and z to rank.' }) eligible!: boolean;
}

export class TrendSeriesDto {
  @ApiProperty({ example: '$xyz' }) entity!: string;
  @ApiProperty({ enum: KINDS }) kind!: EntityKind;
  @ApiProperty({ nullable: true, type: String }) source!: string | null;
  @ApiProperty({ example: 1 }) stepMinutes!: number;
  @ApiProperty({ type: [TrendPointDto] }) points!: TrendPointDto[];
  @ApiProperty({ type: TrendCurrentDto, nullable: true, description: 'Score now with the configured windows; null when it has no mentions in the short window.' })
  current!: TrendCurrentDto | null;
}
