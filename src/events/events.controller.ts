import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventsRepository } from './events.repository.js';
import { decodeCursor, encodeCursor, EventDto, EventIdParam, EventPageDto, ListEventsQuery } from './events.dto.js';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsRepository) {}

  @Get()
  @ApiOperation({ summary: 'List stored events, newest first, with cursor pagination and filters.' })
  @ApiOkResponse({ type: EventPageDto })
  async list(@Query() q: ListEventsQuery): Promise<EventPageDto> {
    const limit = q.limit ?? 50;
    const beforeId = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !beforeId) throw new BadRequestException(['cursor must be a nextCursor value from a previous page']);
    if (q.since && q.until && q.since >= q.until) throw new BadRequestException(['since must be before until']);
    const items = await this.events.list({ ...q, entity: q.entity?.toLowerCase(), beforeId, limit });
    return { items, nextCursor: items.length === limit ? encodeCursor(items[items.length - 1]!.id) : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event by id.' })
  @ApiOkResponse({ type: EventDto })
  async get(@Param() p: EventIdParam): Promise<EventDto> {
    const [e] = await this.events.byIds([p.id]);
    if (!e) throw new NotFoundException(`event ${p.id} not found`);
    return e;
  }
}
