import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SourcesService } from './sources.service.js';

class SourceNameParam {
  @ApiProperty({ example: 'demo' })
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'name must be a source name like "demo"' })
  name!: string;
}

class GapsQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Id of the last gap of the previous page (newest first).' })
  @IsOptional() @Matches(/^[1-9]\d{0,17}$/, { message: 'before must be a gap id' })
  before?: string;
}

class SourceDto {
  @ApiProperty({ example: 'demo' }) name!: string;
  @ApiProperty({ example: 'connected', description: 'connected | connecting | backing-off | auth-failed | stopped, or unreported (no report for 10 s) / unknown (never reported)' }) state!: string;
  @ApiProperty({ nullable: true, type: String, example: 'relay-1:42' }) relay!: string | null;
  @ApiProperty({ nullable: true, type: String }) reportedAt!: string | null;
  @ApiPropertyOptional({ example: 'jetstream' }) kind?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastFrameAt?: string | null;
  @ApiPropertyOptional({ example: 3 }) reconnects?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 0.4, description: 'Now minus the source time of the newest stored event: how old the data is (large for a replayed source, not a relay problem).' }) eventAgeSeconds?: number | null;
  @ApiPropertyOptional({ type: Number, example: 0, description: 'How long the oldest event not yet stored has waited in the relay: the relay\'s own lag (0 = keeping up).' }) relayLagSeconds?: number;
  @ApiProperty({ nullable: true, type: String, example: '1732435200123456' }) storedCursor!: string | null;
  @ApiProperty({ nullable: true, type: String }) storedCursorAt!: string | null;
  @ApiProperty({ example: 0 }) gapsRecorded!: number;
  @ApiProperty({ example: 2 }) quarantined!: number;
}

class GapDto {
  @ApiProperty({ example: '7' }) id!: string;
  @ApiProperty({ description: 'Source time of the last event stored before the gap.' }) gapStart!: string;
  @ApiProperty({ description: 'Source time of the first event stored after it.' }) gapEnd!: string;
  @ApiProperty({ example: 4200 }) durationMs!: number;
  @ApiProperty({ nullable: true, type: String }) fromCursor!: string | null;
  @ApiProperty({ nullable: true, type: String }) toCursor!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() recordedAt!: string;
}

@ApiTags('sources')
@ApiBearerAuth()
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @ApiOperation({ summary: 'Every relay source: live state from the relays, cursor, gaps and quarantine counts from the database.' })
  @ApiOkResponse({ type: [SourceDto] })
  list(): Promise<SourceDto[]> {
    return this.sources.list() as Promise<SourceDto[]>;
  }

  @Get(':name/gaps')
  @ApiOperation({ summary: 'Gaps the relay could not close for one source, newest first.' })
  @ApiOkResponse({ type: [GapDto] })
  gaps(@Param() p: SourceNameParam, @Query() q: GapsQuery): Promise<GapDto[]> {
    return this.sources.gaps(p.name, q.before, q.limit ?? 50);
  }
}
