import { BadRequestException, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SiftConfig } from '../../libs/config/index.js';
import { Inject } from '@nestjs/common';
import { RequireScope } from '../api/auth/auth.decorators.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { DriftMonitor } from './drift.monitor.js';
import { ModelsRepository } from './models.repository.js';
import { ModelsService } from './models.service.js';

class PromotionDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Share of hot events with a vector from the candidate (last re-embed check).' }) coverage!: number | null;
  @ApiProperty({ description: 'MODEL_SWITCH_COVERAGE: queries switch at this coverage.' }) threshold!: number;
  @ApiProperty({ nullable: true, type: Number }) etaSeconds!: number | null;
}

class ModelDto {
  @ApiProperty({ example: 'glove-100d', description: 'Folder name under EMBEDDINGS_MODEL_DIR.' }) name!: string;
  @ApiProperty({ example: 'glove-100d@1', description: 'Id its vectors carry.' }) modelId!: string;
  @ApiProperty() version!: string;
  @ApiProperty() dims!: number;
  @ApiProperty({ example: 'glove' }) providerKind!: string;
  @ApiProperty({ description: 'sha256 over the folder\'s files.' }) checksum!: string;
  @ApiProperty({ enum: ['candidate', 'active', 'retired'] }) status!: string;
  @ApiProperty({ nullable: true, type: Object, description: 'Evaluation scores per mode and metric, e.g. {"hybrid":{"ndcg10":0.7}}.' }) scores!: Record<string, Record<string, number>> | null;
  @ApiProperty({ nullable: true, type: String }) scoresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) promotionRequestedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) promotionRequestedBy!: string | null;
  @ApiProperty() promotionForced!: boolean;
  @ApiProperty({ nullable: true, type: String }) promotedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) promotedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) demotedAt!: string | null;
  @ApiProperty({ description: 'Re-embed cursor (event id).' }) reembedAfter!: string;
  @ApiProperty() reembedDone!: number;
  @ApiProperty({ nullable: true, type: Number }) coverage!: number | null;
  @ApiProperty({ nullable: true, type: String }) coverageAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) driftReferenceAt!: string | null;
  @ApiProperty() registeredAt!: string;
  @ApiProperty({ nullable: true, type: PromotionDto }) promotion!: PromotionDto | null;
}

class SwitchDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ example: 'switch', description: 'bootstrap | promote | promote-forced | switch | rollback | retire' }) action!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) previous!: string | null;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: Object }) detail!: Record<string, unknown>;
}

class ModelsDto {
  @ApiProperty({ type: [ModelDto] }) models!: ModelDto[];
  @ApiProperty({ nullable: true, type: String }) active!: string | null;
  @ApiProperty({ type: [SwitchDto], description: 'Newest first.' }) switches!: SwitchDto[];
}

class DriftWindowDto {
  @ApiProperty() id!: string;
  @ApiProperty() model!: string;
  @ApiProperty() at!: string;
  @ApiProperty() windowSize!: number;
  @ApiProperty() centroidShift!: number;
  @ApiProperty() driftedDimsShare!: number;
  @ApiProperty() mmd!: number;
  @ApiProperty() drifted!: boolean;
  @ApiProperty() streak!: number;
  @ApiProperty() alerted!: boolean;
}

class QuerySideDto {
  @ApiProperty({ description: 'Searches in the rolling window (this api instance).' }) searches!: number;
  @ApiProperty({ nullable: true, type: Number }) medianTop1!: number | null;
  @ApiProperty({ nullable: true, type: Number }) belowFloorShare!: number | null;
  @ApiProperty() floor!: number;
}

class DriftThresholdsDto {
  @ApiProperty() k!: number;
  @ApiProperty() dimsShare!: number;
  @ApiProperty() centroid!: number;
  @ApiProperty() mmd!: number;
  @ApiProperty() alertWindows!: number;
}

class DriftDto {
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: String }) referenceAt!: string | null;
  @ApiProperty({ type: [DriftWindowDto], description: 'Newest first.' }) history!: DriftWindowDto[];
  @ApiProperty({ type: QuerySideDto }) querySide!: QuerySideDto;
  @ApiProperty({ type: DriftThresholdsDto }) thresholds!: DriftThresholdsDto;
}

class ReferenceDto {
  @ApiProperty() model!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) window!: number | null;
}

@ApiTags('admin')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('admin')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly repo: ModelsRepository,
    private readonly drift: DriftMonitor,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  @Get('models')
  @ApiOperation({ summary: 'The model registry: status, scores, coverage, promotion progress, and the audit of switches.' })
  @ApiOkResponse({ type: ModelsDto })
  async list(): Promise<ModelsDto> {
    const models = await this.models.list();
    return { models, active: models.find((m) => m.status === 'active')?.name ?? null, switches: await this.repo.switches(50) };
  }

  @Get('drift')
  @ApiOperation({ summary: 'Drift history of the active model (newest first) and the query-side signals of this instance.' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000 windows (default 200)' })
  @ApiOkResponse({ type: DriftDto })
  async driftHistory(@Query('limit') limitRaw?: string): Promise<DriftDto> {
    const limit = limitRaw === undefined ? 200 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadRequestException('limit must be a whole number from 1 to 1000');
    const active = await this.repo.active();
    return {
      model: active?.name ?? null,
      referenceAt: active?.driftReferenceAt ?? null,
      history: active ? await this.repo.driftHistory(active.name, limit) : [],
      querySide: { ...this.models.queries.snapshot(this.cfg.DRIFT_QUERY_FLOOR), floor: this.cfg.DRIFT_QUERY_FLOOR },
      thresholds: { k: this.cfg.DRIFT_K, dimsShare: this.cfg.DRIFT_DIMS_THRESHOLD, centroid: this.cfg.DRIFT_CENTROID_THRESHOLD, mmd: this.cfg.DRIFT_MMD_THRESHOLD, alertWindows: this.cfg.DRIFT_ALERT_WINDOWS },
    };
  }

  @Post('drift/reference')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-freezes the active model\'s drift reference window from its newest vectors (after an accepted topic change).' })
  @ApiOkResponse({ type: ReferenceDto })
  async refreshReference(): Promise<ReferenceDto> {
    const active = await this.repo.active();
    if (!active) throw new BadRequestException('no active model');
    const ref = await this.drift.freezeReference(active.name);
    return { model: active.name, window: ref?.n ?? null };
  }
}
