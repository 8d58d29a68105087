import { Controller, Get, Inject, NotFoundException, Optional, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { USAGE_SINK, type UsageSink } from '../../libs/contracts/usage.js';
import { MAX_QUERY_CHARS } from './keyword-query.js';
import { RateBucket, RequireScope } from '../api/auth/auth.decorators.js';
import { EventDto, EventIdParam } from '../events/events.dto.js';
import { SearchService, type SearchMode } from './search.service.js';

const MODES = ['hybrid', 'semantic', 'keyword'] as const;

export class SearchQuery {
  @ApiProperty({
    example: 'interest rates going up',
    description: 'What to look for: words (any may match, BM25-ranked), "quoted phrases" (must appear), -word or -"phrase" (must not), OR between phrases.',
  })
  @IsString() @MinLength(1, { message: 'q must not be empty' }) @MaxLength(MAX_QUERY_CHARS, { message: `q must be at most ${MAX_QUERY_CHARS} characters` })
  @Matches(/^[^\u0000]*$/, { message: 'q must not contain NUL characters' })
  q!: string;

  @ApiPropertyOptional({ enum: MODES, default: 'hybrid', description: 'hybrid fuses vector kNN and BM25 full-text search by weighted reciprocal rank.' })
  @IsOptional() @IsIn(MODES, { message: `mode must be one of ${MODES.join(', ')}` })
  mode?: SearchMode;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Only events created at or after (ISO 8601).' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({ example: 'demo' })
  @IsOptional() @IsString() @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'source must be a source name like "demo"' })
  source?: string;

  @ApiPropertyOptional({ example: '$btc', description: 'Only events mentioning this entity: $cashtag, #hashtag, @mention or domain (case-insensitive).' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^([$#@]?[\p{L}\p{N}_.-]+)$/u, { message: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' })
  entity?: string;
}

class SimilarQuery {
  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100, default: 10 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100)
  limit?: number;
}

class SearchHitDto {
  @ApiProperty({ type: EventDto }) event!: EventDto;
  @ApiProperty({ example: 0.0325, description: 'Ranking score: weighted RRF (hybrid), cosine similarity (semantic) or BM25 (keyword).' }) score!: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.82, description: 'Cosine similarity when found by the vector index.' }) semantic!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.1, description: 'BM25 score when matched by full-text search.' }) keyword!: number | null;
}

class SearchResultDto {
  @ApiProperty({ enum: MODES, description: 'Mode actually used.' }) mode!: SearchMode;
  @ApiProperty({ nullable: true, type: String, example: 'glove-100d@1' }) model!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 1, description: 'Share of events with a vector from this model.' }) coverage!: number | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why the answer differs from what was asked.' }) fallback!: string | null;
  @ApiProperty({ type: [SearchHitDto] }) hits!: SearchHitDto[];
}

@ApiTags('search')
@ApiBearerAuth()
@RequireScope('search')
@RateBucket('search')
@Controller()
export class SearchController {
  constructor(
    private readonly search: SearchService,
    @Optional() @Inject(USAGE_SINK) private readonly usage?: UsageSink,
  ) {}

  @Get('search')
  @ApiOperation({ summary: 'Hybrid (default), semantic or keyword search. Falls back to keyword when embeddings are unavailable, and says so.' })
  @ApiOkResponse({ type: SearchResultDto })
  async run(@Query() q: SearchQuery, @Req() req: { principal?: { keyId: string } }): Promise<SearchResultDto> {
    const r = await this.search.search(q.q, { mode: q.mode ?? 'hybrid', limit: q.limit ?? 20, since: q.since, source: q.source, entity: q.entity?.toLowerCase() });
    // Usage: the mode actually served; a query vector was computed whenever a model answered.
    const keyId = req.principal?.keyId ?? null;
    this.usage?.record({ keyId, metric: 'search_queries', dimension: r.mode, quantity: 1 });
    if (r.model && r.mode !== 'keyword') this.usage?.record({ keyId, metric: 'query_embeddings', dimension: r.model, quantity: 1 });
    return r;
  }

  @Get('events/:id/similar')
  @ApiOperation({ summary: 'Events most similar to one event (same model, cosine).' })
  @ApiOkResponse({ type: SearchResultDto })
  async similar(@Param() p: EventIdParam, @Query() q: SimilarQuery): Promise<SearchResultDto> {
    const r = await this.search.similar(p.id, q.limit ?? 10);
    if (!r) throw new NotFoundException(`event ${p.id} not found`);
    return r;
  }
}
