import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EventDto } from '../events/events.dto.js';
import { RateBucket, RequireScope } from '../auth/auth.decorators.js';
import { SearchService, type SearchMode } from './search.service.js';

export class SearchQuery {
  @ApiProperty({ example: 'interest rates going up', description: 'What to look for.' })
  @IsString() @MinLength(1, { message: 'q must not be empty' }) @MaxLength(500, { message: 'q must be at most 500 characters' })
  q!: string;

  @ApiPropertyOptional({ enum: ['semantic', 'keyword'], default: 'semantic' })
  @IsOptional() @IsIn(['semantic', 'keyword'], { message: 'mode must be semantic or keyword' })
  mode?: SearchMode;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100)
  limit?: number;
}

class SearchHitDto {
  @ApiProperty({ type: EventDto }) event!: EventDto;
  @ApiProperty({ example: 0.83, description: 'Cosine similarity (semantic) or ts_rank (keyword).' }) score!: number;
}

class SearchResultDto {
  @ApiProperty({ enum: ['semantic', 'keyword'] }) mode!: SearchMode;
  @ApiProperty({ nullable: true, type: String, example: 'glove-100d@1' }) model!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why another mode than asked was used.' }) fallback!: string | null;
  @ApiProperty({ type: [SearchHitDto] }) hits!: SearchHitDto[];
}

@ApiTags('search')
@ApiBearerAuth()
@RequireScope('search')
@RateBucket('search')
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOperation({ summary: 'Semantic search over stored embeddings (keyword search when embeddings are unavailable).' })
  @ApiOkResponse({ type: SearchResultDto })
  run(@Query() q: SearchQuery): Promise<SearchResultDto> {
    return this.search.search(q.q, q.mode ?? 'semantic', q.limit ?? 20);
  }
}
