import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class ListEventsQuery {
  @ApiPropertyOptional({ example: 'demo', description: 'Only events from this source.' })
  @IsOptional() @IsString() @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'source must be a source name like "demo"' })
  source?: string;

  @ApiPropertyOptional({ example: 'did:plc:abc123', description: 'Only events by this author.' })
  @IsOptional() @IsString() @MaxLength(300)
  author?: string;

  @ApiPropertyOptional({ example: '$btc', description: 'Only events mentioning this entity: $cashtag, #hashtag, @mention or domain.' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^([$#@]?[\p{L}\p{N}_.-]+)$/u, { message: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' })
  entity?: string;

  @ApiPropertyOptional({ example: 'rate hike', description: 'Only events whose text contains this (case-insensitive substring).' })
  @IsOptional() @IsString() @MinLength(2, { message: 'contains must be at least 2 characters' }) @MaxLength(100, { message: 'contains must be at most 100 characters' })
  contains?: string;

  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Created at or after (ISO 8601).' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'Created before (ISO 8601).' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'until must be an ISO 8601 date-time' })
  until?: Date;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page\'s nextCursor.' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'cursor must be a nextCursor value from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(500)
  limit?: number;
}

export class EventDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ example: 'demo' }) source!: string;
  @ApiProperty({ example: 'did:plc:abc/app.bsky.feed.post/3kabc' }) sourceEventId!: string;
  @ApiProperty({ example: 'did:plc:abc123' }) author!: string;
  @ApiProperty({ example: 'gm $btc holders #crypto' }) text!: string;
  @ApiProperty({ example: ['$btc', '#crypto'], type: [String] }) entities!: string[];
  @ApiProperty({ example: '2026-11-24T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-24T08:00:00.120Z' }) ingestedAt!: string;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next (older) page; null at the end.' })
  nextCursor!: string | null;
}

export class EventIdParam {
  @ApiProperty({ example: '1042' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a positive whole number' })
  id!: string;
}

export const encodeCursor = (id: string) => Buffer.from(`e:${id}`).toString('base64url');
export function decodeCursor(c: string): string | undefined {
  const m = /^e:([1-9]\d{0,17})$/.exec(Buffer.from(c, 'base64url').toString());
  return m?.[1];
}
