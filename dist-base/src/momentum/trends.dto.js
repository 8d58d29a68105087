var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
const KINDS = ['cashtag', 'hashtag', 'mention', 'domain'];
const SOURCE = /^[a-z][a-z0-9_-]{0,31}$/;
const ENTITY = /^([$#@]?[\p{L}\p{N}_.-]+)$/u;
export class TrendsQuery {
    source;
    kind;
    window;
    baseline;
    limit;
}
__decorate([
    ApiPropertyOptional({ example: 'demo', description: 'Only mentions from this source (computed live).' }),
    IsOptional(),
    IsString(),
    Matches(SOURCE, { message: 'source must be a source name like "demo"' }),
    __metadata("design:type", String)
], TrendsQuery.prototype, "source", void 0);
__decorate([
    ApiPropertyOptional({ enum: KINDS, description: 'Only this kind of entity (computed live).' }),
    IsOptional(),
    IsIn(KINDS, { message: `kind must be one of ${KINDS.join(', ')}` }),
    __metadata("design:type", String)
], TrendsQuery.prototype, "kind", void 0);
__decorate([
    ApiPropertyOptional({ example: 15, minimum: 1, maximum: 1440, description: 'Short window in minutes (computed live); default MOMENTUM_SHORT_WINDOW.' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'window must be a whole number of minutes' }),
    Min(1),
    Max(1440),
    __metadata("design:type", Number)
], TrendsQuery.prototype, "window", void 0);
__decorate([
    ApiPropertyOptional({ example: 360, minimum: 1, maximum: 43200, description: 'Baseline window in minutes (computed live); default MOMENTUM_BASELINE_WINDOW.' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'baseline must be a whole number of minutes' }),
    Min(1),
    Max(43200),
    __metadata("design:type", Number)
], TrendsQuery.prototype, "baseline", void 0);
__decorate([
    ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, description: 'Entries to return; default MOMENTUM_TOP_N.' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1),
    Max(100),
    __metadata("design:type", Number)
], TrendsQuery.prototype, "limit", void 0);
export class TrendEntityParam {
    entity;
}
__decorate([
    ApiProperty({ example: '$btc', description: 'The entity, URL-encoded: %24btc, %23ai, %40alice.bsky.social, example.com.' }),
    IsString(),
    MaxLength(200),
    Matches(ENTITY, { message: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' }),
    Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    __metadata("design:type", String)
], TrendEntityParam.prototype, "entity", void 0);
export class TrendSeriesQuery {
    source;
    minutes;
    step;
}
__decorate([
    ApiPropertyOptional({ example: 'demo', description: 'Only mentions from this source.' }),
    IsOptional(),
    IsString(),
    Matches(SOURCE, { message: 'source must be a source name like "demo"' }),
    __metadata("design:type", String)
], TrendSeriesQuery.prototype, "source", void 0);
__decorate([
    ApiPropertyOptional({ example: 360, minimum: 1, maximum: 10080, default: 360, description: 'How far back, in minutes.' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'minutes must be a whole number' }),
    Min(1),
    Max(10080),
    __metadata("design:type", Number)
], TrendSeriesQuery.prototype, "minutes", void 0);
__decorate([
    ApiPropertyOptional({ example: 5, minimum: 1, maximum: 1440, default: 1, description: 'Bucket width in minutes.' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'step must be a whole number of minutes' }),
    Min(1),
    Max(1440),
    __metadata("design:type", Number)
], TrendSeriesQuery.prototype, "step", void 0);
export class TrendItemDto {
    rank;
    entity;
    kind;
    score;
    z;
    acceleration;
    count;
    baselineCount;
    expected;
    sparkline;
}
__decorate([
    ApiProperty({ example: 1 }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "rank", void 0);
__decorate([
    ApiProperty({ example: '$xyz' }),
    __metadata("design:type", String)
], TrendItemDto.prototype, "entity", void 0);
__decorate([
    ApiProperty({ enum: KINDS, example: 'cashtag' }),
    __metadata("design:type", String)
], TrendItemDto.prototype, "kind", void 0);
__decorate([
    ApiProperty({ example: 3.7, description: 'log2((count + k) / (expected + k)); 1 ≈ twice the usual rate.' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "score", void 0);
__decorate([
    ApiProperty({ example: 26.8, description: '(count − expected) / sqrt(expected + k).' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "z", void 0);
__decorate([
    ApiProperty({ example: 1.2, description: 'Score of the second half of the short window minus that of the first half.' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "acceleration", void 0);
__decorate([
    ApiProperty({ example: 60, description: 'Mentions in the short window.' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "count", void 0);
__decorate([
    ApiProperty({ example: 0, description: 'Mentions in the baseline window.' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "baselineCount", void 0);
__decorate([
    ApiProperty({ example: 0, description: 'Mentions the baseline rate predicts for the short window.' }),
    __metadata("design:type", Number)
], TrendItemDto.prototype, "expected", void 0);
__decorate([
    ApiProperty({ type: [Number], example: [0, 0, 1, 0, 12, 47], description: 'Mentions per minute, oldest first, ending with the current minute.' }),
    __metadata("design:type", Array)
], TrendItemDto.prototype, "sparkline", void 0);
export class TrendsDto {
    computedAt;
    from;
    snapshotId;
    source;
    kind;
    shortWindowMinutes;
    baselineMinutes;
    items;
}
__decorate([
    ApiProperty({ example: '2026-11-24T08:00:00.000Z', description: 'Database time the windows end at.' }),
    __metadata("design:type", String)
], TrendsDto.prototype, "computedAt", void 0);
__decorate([
    ApiProperty({ enum: ['snapshot', 'live'], description: 'snapshot: the momentum job\'s latest leaderboard; live: computed for this request (filters or windows given).' }),
    __metadata("design:type", String)
], TrendsDto.prototype, "from", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: '1042' }),
    __metadata("design:type", Object)
], TrendsDto.prototype, "snapshotId", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], TrendsDto.prototype, "source", void 0);
__decorate([
    ApiProperty({ nullable: true, enum: KINDS }),
    __metadata("design:type", Object)
], TrendsDto.prototype, "kind", void 0);
__decorate([
    ApiProperty({ example: 10 }),
    __metadata("design:type", Number)
], TrendsDto.prototype, "shortWindowMinutes", void 0);
__decorate([
    ApiProperty({ example: 360 }),
    __metadata("design:type", Number)
], TrendsDto.prototype, "baselineMinutes", void 0);
__decorate([
    ApiProperty({ type: [TrendItemDto] }),
    __metadata("design:type", Array)
], TrendsDto.prototype, "items", void 0);
export class TrendPointDto {
    t;
    count;
}
__decorate([
    ApiProperty({ example: '2026-11-24T08:00:00.000Z', description: 'Bucket start.' }),
    __metadata("design:type", String)
], TrendPointDto.prototype, "t", void 0);
__decorate([
    ApiProperty({ example: 12 }),
    __metadata("design:type", Number)
], TrendPointDto.prototype, "count", void 0);
export class TrendCurrentDto {
    score;
    z;
    acceleration;
    count;
    baselineCount;
    expected;
    eligible;
}
__decorate([
    ApiProperty({ example: 3.7 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "score", void 0);
__decorate([
    ApiProperty({ example: 26.8 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "z", void 0);
__decorate([
    ApiProperty({ example: 1.2 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "acceleration", void 0);
__decorate([
    ApiProperty({ example: 60 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "count", void 0);
__decorate([
    ApiProperty({ example: 0 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "baselineCount", void 0);
__decorate([
    ApiProperty({ example: 0 }),
    __metadata("design:type", Number)
], TrendCurrentDto.prototype, "expected", void 0);
__decorate([
    ApiProperty({ description: 'Meets the minimum count, score and z to rank.' }),
    __metadata("design:type", Boolean)
], TrendCurrentDto.prototype, "eligible", void 0);
export class TrendSeriesDto {
    entity;
    kind;
    source;
    stepMinutes;
    points;
    current;
}
__decorate([
    ApiProperty({ example: '$xyz' }),
    __metadata("design:type", String)
], TrendSeriesDto.prototype, "entity", void 0);
__decorate([
    ApiProperty({ enum: KINDS }),
    __metadata("design:type", String)
], TrendSeriesDto.prototype, "kind", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String }),
    __metadata("design:type", Object)
], TrendSeriesDto.prototype, "source", void 0);
__decorate([
    ApiProperty({ example: 1 }),
    __metadata("design:type", Number)
], TrendSeriesDto.prototype, "stepMinutes", void 0);
__decorate([
    ApiProperty({ type: [TrendPointDto] }),
    __metadata("design:type", Array)
], TrendSeriesDto.prototype, "points", void 0);
__decorate([
    ApiProperty({ type: TrendCurrentDto, nullable: true, description: 'Score now with the configured windows; null when it has no mentions in the short window.' }),
    __metadata("design:type", Object)
], TrendSeriesDto.prototype, "current", void 0);
//# sourceMappingURL=trends.dto.js.map