import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SystemService, type SystemOverview } from './system.service.js';

class ProcessDto {
  @ApiProperty({ example: ['api'], type: [String] }) roles!: string[];
  @ApiProperty() pid!: number;
  @ApiProperty() uptimeSeconds!: number;
}

class SystemEmbeddingsDto {
  @ApiProperty({ example: 'ready', description: 'loading | ready | disabled' }) state!: string;
  @ApiProperty({ nullable: true, type: String, example: 'glove-100d@1' }) model!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 100 }) dims!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'cpu' }) device!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why embeddings are off, when they are.' }) reason!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.98, description: 'Share of hot events with a vector from the active model (database count).' }) coverage!: number | null;
}

class QueueDepthDto {
  @ApiProperty({ example: 'embed' }) name!: string;
  @ApiProperty({ example: 0, description: 'Jobs waiting or running; -1 when the queue could not be read.' }) depth!: number;
}

class SystemMoverDto {
  @ApiProperty({ example: 86400 }) hotWindowSeconds!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Age of the oldest hot event (database clock); null with no events.' }) oldestHotAgeSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'How far the oldest hot event is past the hot window (0 = caught up).' }) lagSeconds!: number | null;
}

class SystemIngestDto {
  @ApiProperty() sources!: number;
  @ApiProperty() connected!: number;
  @ApiProperty({ description: 'Events stored, summed over the relays\' reports (since each relay started).' }) storedTotal!: number;
  @ApiProperty({ description: 'Events held in relay buffers, waiting for a batch write.' }) bufferedTotal!: number;
}

class SystemOverviewDto {
  @ApiProperty() at!: string;
  @ApiProperty({ type: ProcessDto }) process!: ProcessDto;
  @ApiProperty({ type: SystemEmbeddingsDto }) embeddings!: SystemEmbeddingsDto;
  @ApiProperty({ type: [QueueDepthDto] }) queues!: QueueDepthDto[];
  @ApiProperty({ type: SystemMoverDto }) mover!: SystemMoverDto;
  @ApiProperty({ type: SystemIngestDto }) ingest!: SystemIngestDto;
}

@ApiTags('system')
@ApiBearerAuth()
@Controller('system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @ApiOperation({ summary: 'Platform-wide operator figures (embedding coverage, queue depths, mover lag, ingest), right with split roles too; /metrics is per process.' })
  @ApiOkResponse({ type: SystemOverviewDto })
  overview(): Promise<SystemOverview> {
    return this.system.overview();
  }
}
