var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SystemService } from './system.service.js';
class ProcessDto {
    roles;
    pid;
    uptimeSeconds;
}
__decorate([
    ApiProperty({ example: ['api'], type: [String] }),
    __metadata("design:type", Array)
], ProcessDto.prototype, "roles", void 0);
__decorate([
    ApiProperty(),
    __metadata("design:type", Number)
], ProcessDto.prototype, "pid", void 0);
__decorate([
    ApiProperty(),
    __metadata("design:type", Number)
], ProcessDto.prototype, "uptimeSeconds", void 0);
class SystemEmbeddingsDto {
    state;
    model;
    dims;
    device;
    reason;
    coverage;
}
__decorate([
    ApiProperty({ example: 'ready', description: 'loading | ready | disabled' }),
    __metadata("design:type", String)
], SystemEmbeddingsDto.prototype, "state", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: 'glove-100d@1' }),
    __metadata("design:type", Object)
], SystemEmbeddingsDto.prototype, "model", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 100 }),
    __metadata("design:type", Object)
], SystemEmbeddingsDto.prototype, "dims", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: 'cpu' }),
    __metadata("design:type", Object)
], SystemEmbeddingsDto.prototype, "device", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, description: 'Why embeddings are off, when they are.' }),
    __metadata("design:type", Object)
], SystemEmbeddingsDto.prototype, "reason", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 0.98, description: 'Share of hot events with a vector from the active model (database count).' }),
    __metadata("design:type", Object)
], SystemEmbeddingsDto.prototype, "coverage", void 0);
class QueueDepthDto {
    name;
    depth;
}
__decorate([
    ApiProperty({ example: 'embed' }),
    __metadata("design:type", String)
], QueueDepthDto.prototype, "name", void 0);
__decorate([
    ApiProperty({ example: 0, description: 'Jobs waiting or running; -1 when the queue could not be read.' }),
    __metadata("design:type", Number)
], QueueDepthDto.prototype, "depth", void 0);
class SystemMoverDto {
    hotWindowSeconds;
    oldestHotAgeSeconds;
    lagSeconds;
}
__decorate([
    ApiProperty({ example: 86400 }),
    __metadata("design:type", Number)
], SystemMoverDto.prototype, "hotWindowSeconds", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, description: 'Age of the oldest hot event (database clock); null with no events.' }),
    __metadata("design:type", Object)
], SystemMoverDto.prototype, "oldestHotAgeSeconds", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, description: 'How far the oldest hot event is past the hot window (0 = caught up).' }),
    __metadata("design:type", Object)
], SystemMoverDto.prototype, "lagSeconds", void 0);
class SystemIngestDto {
    sources;
    connected;
    storedTotal;
    bufferedTotal;
}
__decorate([
    ApiProperty(),
    __metadata("design:type", Number)
], SystemIngestDto.prototype, "sources", void 0);
__decorate([
    ApiProperty(),
    __metadata("design:type", Number)
], SystemIngestDto.prototype, "connected", void 0);
__decorate([
    ApiProperty({ description: 'Events stored, summed over the relays\' reports (since each relay started).' }),
    __metadata("design:type", Number)
], SystemIngestDto.prototype, "storedTotal", void 0);
__decorate([
    ApiProperty({ description: 'Events held in relay buffers, waiting for a batch write.' }),
    __metadata("design:type", Number)
], SystemIngestDto.prototype, "bufferedTotal", void 0);
class SystemOverviewDto {
    at;
    process;
    embeddings;
    queues;
    mover;
    ingest;
}
__decorate([
    ApiProperty(),
    __metadata("design:type", String)
], SystemOverviewDto.prototype, "at", void 0);
__decorate([
    ApiProperty({ type: ProcessDto }),
    __metadata("design:type", ProcessDto)
], SystemOverviewDto.prototype, "process", void 0);
__decorate([
    ApiProperty({ type: SystemEmbeddingsDto }),
    __metadata("design:type", SystemEmbeddingsDto)
], SystemOverviewDto.prototype, "embeddings", void 0);
__decorate([
    ApiProperty({ type: [QueueDepthDto] }),
    __metadata("design:type", Array)
], SystemOverviewDto.prototype, "queues", void 0);
__decorate([
    ApiProperty({ type: SystemMoverDto }),
    __metadata("design:type", SystemMoverDto)
], SystemOverviewDto.prototype, "mover", void 0);
__decorate([
    ApiProperty({ type: SystemIngestDto }),
    __metadata("design:type", SystemIngestDto)
], SystemOverviewDto.prototype, "ingest", void 0);
let SystemController = class SystemController {
    system;
    constructor(system) {
        this.system = system;
    }
    overview() {
        return this.system.overview();
    }
};
__decorate([
    Get(),
    ApiOperation({ summary: 'Platform-wide operator figures (embedding coverage, queue depths, mover lag, ingest), right with split roles too; /metrics is per process.' }),
    ApiOkResponse({ type: SystemOverviewDto }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], SystemController.prototype, "overview", null);
SystemController = __decorate([
    ApiTags('system'),
    ApiBearerAuth(),
    Controller('system'),
    __metadata("design:paramtypes", [SystemService])
], SystemController);
export { SystemController };
//# sourceMappingURL=system.controller.js.map