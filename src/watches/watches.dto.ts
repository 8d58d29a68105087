import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateWatchDto {
  @ApiProperty({ example: 'outage chatter', description: '1-100 characters' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'power outage blackout', description: '1-500 characters; semantic watches need at least one word the query model knows' })
  @IsString()
  @Length(1, 500)
  query!: string;

  @ApiPropertyOptional({ enum: ['semantic', 'keyword', 'both'], default: 'semantic', description: 'keyword: every query word must be in the text; semantic: cosine ≥ minSimilarity; both: both' })
  @IsOptional()
  @IsIn(['semantic', 'keyword', 'both'])
  mode?: 'semantic' | 'keyword' | 'both';

  @ApiPropertyOptional({ example: 'acme', description: 'Only events tagged with this entity' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  entity?: string;

  @ApiPropertyOptional({ description: 'Only events from this source' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  source?: string;

  @ApiPropertyOptional({ description: 'Only events by this author' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  author?: string;

  @ApiPropertyOptional({ default: 0.6, description: 'Semantic threshold, 0-1 (cosine)' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minSimilarity?: number;

  @ApiPropertyOptional({ default: 1, description: 'Fire when this many matches land within windowSeconds (1-100000)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minMatches?: number;

  @ApiPropertyOptional({ default: 60, description: 'Count window, 1-86400 s' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  windowSeconds?: number;

  @ApiPropertyOptional({ default: 300, description: 'After an alert, no other for this long (matches meanwhile are counted into the next); 0-86400 s' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  cooldownSeconds?: number;
}

export class PatchWatchDto {
  @ApiProperty({ description: 'true pauses the watch, false resumes it' })
  @IsBoolean()
  paused!: boolean;
}
