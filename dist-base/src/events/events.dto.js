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
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
export class ListEventsQuery {
    source;
    author;
    entity;
    contains;
    since;
    until;
    cursor;
    limit;
}
__decorate([
    ApiPropertyOptional({ example: 'demo', description: 'Only events from this source.' }),
    IsOptional(),
    IsString(),
    Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'source must be a source name like "demo"' }),
    __metadata("design:type", String)
], ListEventsQuery.prototype, "source", void 0);
__decorate([
    ApiPropertyOptional({ example: 'did:plc:abc123', description: 'Only events by this author.' }),
    IsOptional(),
    IsString(),
    MaxLength(300),
    __metadata("design:type", String)
], ListEventsQuery.prototype, "author", void 0);
__decorate([
    ApiPropertyOptional({ example: '$btc', description: 'Only events mentioning this entity: $cashtag, #hashtag, @mention or domain.' }),
    IsOptional(),
    IsString(),
    MaxLength(200),
    Matches(/^([$#@]?[\p{L}\p{N}_.-]+)$/u, { message: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' }),
    __metadata("design:type", String)
], ListEventsQuery.prototype, "entity", void 0);
__decorate([
    ApiPropertyOptional({ example: 'rate hike', description: 'Only events whose text contains this (case-insensitive substring).' }),
    IsOptional(),
    IsString(),
    MinLength(2, { message: 'contains must be at least 2 characters' }),
    MaxLength(100, { message: 'contains must be at most 100 characters' }),
    __metadata("design:type", String)
], ListEventsQuery.prototype, "contains", void 0);
__decorate([
    ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Created at or after (ISO 8601).' }),
    IsOptional(),
    Type(() => Date),
    IsDate({ message: 'since must be an ISO 8601 date-time' }),
    __metadata("design:type", Date)
], ListEventsQuery.prototype, "since", void 0);
__decorate([
    ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'Created before (ISO 8601).' }),
    IsOptional(),
    Type(() => Date),
    IsDate({ message: 'until must be an ISO 8601 date-time' }),
    __metadata("design:type", Date)
], ListEventsQuery.prototype, "until", void 0);
__decorate([
    ApiPropertyOptional({ description: 'Opaque cursor from a previous page\'s nextCursor.' }),
    IsOptional(),
    IsString(),
    Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'cursor must be a nextCursor value from a previous page' }),
    __metadata("design:type", String)
], ListEventsQuery.prototype, "cursor", void 0);
__decorate([
    ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500, default: 50 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1),
    Max(500),
    __metadata("design:type", Number)
], ListEventsQuery.prototype, "limit", void 0);
export class EventDto {
    id;
    source;
    sourceEventId;
    author;
    text;
    entities;
    createdAt;
    ingestedAt;
}
__decorate([
    ApiProperty({ example: '1042' }),
    __metadata("design:type", String)
], EventDto.prototype, "id", void 0);
__decorate([
    ApiProperty({ example: 'demo' }),
    __metadata("design:type", String)
], EventDto.prototype, "source", void 0);
__decorate([
    ApiProperty({ example: 'did:plc:abc/app.bsky.feed.post/3kabc' }),
    __metadata("design:type", String)
], EventDto.prototype, "sourceEventId", void 0);
__decorate([
    ApiProperty({ example: 'did:plc:abc123' }),
    __metadata("design:type", String)
], EventDto.prototype, "author", void 0);
__decorate([
    ApiProperty({ example: 'gm $btc holders #crypto' }),
    __metadata("design:type", String)
], EventDto.prototype, "text", void 0);
__decorate([
    ApiProperty({ example: ['$btc', '#crypto'], type: [String] }),
    __metadata("design:type", Array)
], EventDto.prototype, "entities", void 0);
__decorate([
    ApiProperty({ example: '2026-11-24T08:00:00.000Z' }),
    __metadata("design:type", String)
], EventDto.prototype, "createdAt", void 0);
__decorate([
    ApiProperty({ example: '2026-11-24T08:00:00.120Z' }),
    __metadata("design:type", String)
], EventDto.prototype, "ingestedAt", void 0);
export class EventPageDto {
    items;
    nextCursor;
}
__decorate([
    ApiProperty({ type: [EventDto] }),
    __metadata("design:type", Array)
], EventPageDto.prototype, "items", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next (older) page; null at the end.' }),
    __metadata("design:type", Object)
], EventPageDto.prototype, "nextCursor", void 0);
export class EventIdParam {
    id;
}
__decorate([
    ApiProperty({ example: '1042' }),
    Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a positive whole number' }),
    __metadata("design:type", String)
], EventIdParam.prototype, "id", void 0);
export const encodeCursor = (id) => Buffer.from(`e:${id}`).toString('base64url');
export function decodeCursor(c) {
    const m = /^e:([1-9]\d{0,17})$/.exec(Buffer.from(c, 'base64url').toString());
    return m?.[1];
}
//# sourceMappingURL=events.dto.js.map