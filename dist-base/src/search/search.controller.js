var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { RateBucket, RequireScope } from '../api/auth/auth.decorators.js';
import { EventDto, EventIdParam } from '../events/events.dto.js';
import { SearchService } from './search.service.js';
const MODES = ['hybrid', 'semantic', 'keyword'];
export class SearchQuery {
    q;
    mode;
    limit;
    since;
    source;
}
__decorate([
    ApiProperty({ example: 'interest rates going up', description: 'What to look for.' }),
    IsString(),
    MinLength(1, { message: 'q must not be empty' }),
    MaxLength(500, { message: 'q must be at most 500 characters' }),
    __metadata("design:type", String)
], SearchQuery.prototype, "q", void 0);
__decorate([
    ApiPropertyOptional({ enum: MODES, default: 'hybrid', description: 'hybrid fuses vector kNN and full-text search by reciprocal rank.' }),
    IsOptional(),
    IsIn(MODES, { message: `mode must be one of ${MODES.join(', ')}` }),
    __metadata("design:type", String)
], SearchQuery.prototype, "mode", void 0);
__decorate([
    ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: 20 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1),
    Max(100),
    __metadata("design:type", Number)
], SearchQuery.prototype, "limit", void 0);
__decorate([
    ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Only events created at or after (ISO 8601).' }),
    IsOptional(),
    Type(() => Date),
    IsDate({ message: 'since must be an ISO 8601 date-time' }),
    __metadata("design:type", Date)
], SearchQuery.prototype, "since", void 0);
__decorate([
    ApiPropertyOptional({ example: 'demo' }),
    IsOptional(),
    IsString(),
    Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'source must be a source name like "demo"' }),
    __metadata("design:type", String)
], SearchQuery.prototype, "source", void 0);
class SimilarQuery {
    limit;
}
__decorate([
    ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100, default: 10 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1),
    Max(100),
    __metadata("design:type", Number)
], SimilarQuery.prototype, "limit", void 0);
class SearchHitDto {
    event;
    score;
    semantic;
    keyword;
}
__decorate([
    ApiProperty({ type: EventDto }),
    __metadata("design:type", EventDto)
], SearchHitDto.prototype, "event", void 0);
__decorate([
    ApiProperty({ example: 0.0325, description: 'Ranking score: RRF (hybrid), cosine similarity (semantic) or ts_rank_cd (keyword).' }),
    __metadata("design:type", Number)
], SearchHitDto.prototype, "score", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 0.82, description: 'Cosine similarity when found by the vector index.' }),
    __metadata("design:type", Object)
], SearchHitDto.prototype, "semantic", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 0.1, description: 'ts_rank_cd when matched by full-text search.' }),
    __metadata("design:type", Object)
], SearchHitDto.prototype, "keyword", void 0);
class SearchResultDto {
    mode;
    model;
    coverage;
    fallback;
    hits;
}
__decorate([
    ApiProperty({ enum: MODES, description: 'Mode actually used.' }),
    __metadata("design:type", String)
], SearchResultDto.prototype, "mode", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: 'glove-100d@1' }),
    __metadata("design:type", Object)
], SearchResultDto.prototype, "model", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 1, description: 'Share of events with a vector from this model.' }),
    __metadata("design:type", Object)
], SearchResultDto.prototype, "coverage", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: null, description: 'Why the answer differs from what was asked.' }),
    __metadata("design:type", Object)
], SearchResultDto.prototype, "fallback", void 0);
__decorate([
    ApiProperty({ type: [SearchHitDto] }),
    __metadata("design:type", Array)
], SearchResultDto.prototype, "hits", void 0);
let SearchController = class SearchController {
    search;
    constructor(search) {
        this.search = search;
    }
    run(q) {
        return this.search.search(q.q, { mode: q.mode ?? 'hybrid', limit: q.limit ?? 20, since: q.since, source: q.source });
    }
    async similar(p, q) {
        const r = await this.search.similar(p.id, q.limit ?? 10);
        if (!r)
            throw new NotFoundException(`event ${p.id} not found`);
        return r;
    }
};
__decorate([
    Get('search'),
    ApiOperation({ summary: 'Hybrid (default), semantic or keyword search. Falls back to keyword when embeddings are unavailable, and says so.' }),
    ApiOkResponse({ type: SearchResultDto }),
    __param(0, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [SearchQuery]),
    __metadata("design:returntype", Promise)
], SearchController.prototype, "run", null);
__decorate([
    Get('events/:id/similar'),
    ApiOperation({ summary: 'Events most similar to one event (same model, cosine).' }),
    ApiOkResponse({ type: SearchResultDto }),
    __param(0, Param()),
    __param(1, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [EventIdParam, SimilarQuery]),
    __metadata("design:returntype", Promise)
], SearchController.prototype, "similar", null);
SearchController = __decorate([
    ApiTags('search'),
    ApiBearerAuth(),
    RequireScope('search'),
    RateBucket('search'),
    Controller(),
    __metadata("design:paramtypes", [SearchService])
], SearchController);
export { SearchController };
//# sourceMappingURL=search.controller.js.map