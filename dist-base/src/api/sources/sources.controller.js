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
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SourcesService } from './sources.service.js';
class SourceNameParam {
    name;
}
__decorate([
    ApiProperty({ example: 'demo' }),
    Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'name must be a source name like "demo"' }),
    __metadata("design:type", String)
], SourceNameParam.prototype, "name", void 0);
class GapsQuery {
    limit;
    before;
}
__decorate([
    ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500, default: 50 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1),
    Max(500),
    __metadata("design:type", Number)
], GapsQuery.prototype, "limit", void 0);
__decorate([
    ApiPropertyOptional({ description: 'Id of the last gap of the previous page (newest first).' }),
    IsOptional(),
    Matches(/^[1-9]\d{0,17}$/, { message: 'before must be a gap id' }),
    __metadata("design:type", String)
], GapsQuery.prototype, "before", void 0);
class SourceDto {
    name;
    state;
    relay;
    reportedAt;
    kind;
    lastFrameAt;
    reconnects;
    lastError;
    eventAgeSeconds;
    relayLagSeconds;
    storedCursor;
    storedCursorAt;
    gapsRecorded;
    quarantined;
}
__decorate([
    ApiProperty({ example: 'demo' }),
    __metadata("design:type", String)
], SourceDto.prototype, "name", void 0);
__decorate([
    ApiProperty({ example: 'connected', description: 'connected | connecting | backing-off | auth-failed | stopped, or unreported (no report for 10 s) / unknown (never reported)' }),
    __metadata("design:type", String)
], SourceDto.prototype, "state", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: 'relay-1:42' }),
    __metadata("design:type", Object)
], SourceDto.prototype, "relay", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], SourceDto.prototype, "reportedAt", void 0);
__decorate([
    ApiPropertyOptional({ example: 'jetstream' }),
    __metadata("design:type", String)
], SourceDto.prototype, "kind", void 0);
__decorate([
    ApiPropertyOptional({ nullable: true, type: String }),
    __metadata("design:type", Object)
], SourceDto.prototype, "lastFrameAt", void 0);
__decorate([
    ApiPropertyOptional({ example: 3 }),
    __metadata("design:type", Number)
], SourceDto.prototype, "reconnects", void 0);
__decorate([
    ApiPropertyOptional({ nullable: true, type: String }),
    __metadata("design:type", Object)
], SourceDto.prototype, "lastError", void 0);
__decorate([
    ApiPropertyOptional({ nullable: true, type: Number, example: 0.4, description: 'Now minus the source time of the newest stored event: how old the data is (large for a replayed source, not a relay problem).' }),
    __metadata("design:type", Object)
], SourceDto.prototype, "eventAgeSeconds", void 0);
__decorate([
    ApiPropertyOptional({ type: Number, example: 0, description: 'How long the oldest event not yet stored has waited in the relay: the relay\'s own lag (0 = keeping up).' }),
    __metadata("design:type", Number)
], SourceDto.prototype, "relayLagSeconds", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: '1732435200123456' }),
    __metadata("design:type", Object)
], SourceDto.prototype, "storedCursor", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], SourceDto.prototype, "storedCursorAt", void 0);
__decorate([
    ApiProperty({ example: 0 }),
    __metadata("design:type", Number)
], SourceDto.prototype, "gapsRecorded", void 0);
__decorate([
    ApiProperty({ example: 2 }),
    __metadata("design:type", Number)
], SourceDto.prototype, "quarantined", void 0);
class GapDto {
    id;
    gapStart;
    gapEnd;
    durationMs;
    fromCursor;
    toCursor;
    reason;
    recordedAt;
}
__decorate([
    ApiProperty({ example: '7' }),
    __metadata("design:type", String)
], GapDto.prototype, "id", void 0);
__decorate([
    ApiProperty({ description: 'Source time of the last event stored before the gap.' }),
    __metadata("design:type", String)
], GapDto.prototype, "gapStart", void 0);
__decorate([
    ApiProperty({ description: 'Source time of the first event stored after it.' }),
    __metadata("design:type", String)
], GapDto.prototype, "gapEnd", void 0);
__decorate([
    ApiProperty({ example: 4200 }),
    __metadata("design:type", Number)
], GapDto.prototype, "durationMs", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], GapDto.prototype, "fromCursor", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], GapDto.prototype, "toCursor", void 0);
__decorate([
    ApiProperty(),
    __metadata("design:type", String)
], GapDto.prototype, "reason", void 0);
__decorate([
    ApiProperty(),
    __metadata("design:type", String)
], GapDto.prototype, "recordedAt", void 0);
let SourcesController = class SourcesController {
    sources;
    constructor(sources) {
        this.sources = sources;
    }
    list() {
        return this.sources.list();
    }
    gaps(p, q) {
        return this.sources.gaps(p.name, q.before, q.limit ?? 50);
    }
};
__decorate([
    Get(),
    ApiOperation({ summary: 'Every relay source: live state from the relays, cursor, gaps and quarantine counts from the database.' }),
    ApiOkResponse({ type: [SourceDto] }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], SourcesController.prototype, "list", null);
__decorate([
    Get(':name/gaps'),
    ApiOperation({ summary: 'Gaps the relay could not close for one source, newest first.' }),
    ApiOkResponse({ type: [GapDto] }),
    __param(0, Param()),
    __param(1, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [SourceNameParam, GapsQuery]),
    __metadata("design:returntype", Promise)
], SourcesController.prototype, "gaps", null);
SourcesController = __decorate([
    ApiTags('sources'),
    ApiBearerAuth(),
    Controller('sources'),
    __metadata("design:paramtypes", [SourcesService])
], SourcesController);
export { SourcesController };
//# sourceMappingURL=sources.controller.js.map