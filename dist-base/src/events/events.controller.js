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
import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventsRepository } from './events.repository.js';
import { decodeCursor, encodeCursor, EventDto, EventIdParam, EventPageDto, ListEventsQuery } from './events.dto.js';
let EventsController = class EventsController {
    events;
    constructor(events) {
        this.events = events;
    }
    async list(q) {
        const limit = q.limit ?? 50;
        const beforeId = q.cursor ? decodeCursor(q.cursor) : undefined;
        if (q.cursor && !beforeId)
            throw new BadRequestException(['cursor must be a nextCursor value from a previous page']);
        if (q.since && q.until && q.since >= q.until)
            throw new BadRequestException(['since must be before until']);
        const items = await this.events.list({ ...q, entity: q.entity?.toLowerCase(), beforeId, limit });
        return { items, nextCursor: items.length === limit ? encodeCursor(items[items.length - 1].id) : null };
    }
    async get(p) {
        const [e] = await this.events.byIds([p.id]);
        if (!e)
            throw new NotFoundException(`event ${p.id} not found`);
        return e;
    }
};
__decorate([
    Get(),
    ApiOperation({ summary: 'List stored events, newest first, with cursor pagination and filters.' }),
    ApiOkResponse({ type: EventPageDto }),
    __param(0, Query()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [ListEventsQuery]),
    __metadata("design:returntype", Promise)
], EventsController.prototype, "list", null);
__decorate([
    Get(':id'),
    ApiOperation({ summary: 'One event by id.' }),
    ApiOkResponse({ type: EventDto }),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [EventIdParam]),
    __metadata("design:returntype", Promise)
], EventsController.prototype, "get", null);
EventsController = __decorate([
    ApiTags('events'),
    ApiBearerAuth(),
    Controller('events'),
    __metadata("design:paramtypes", [EventsRepository])
], EventsController);
export { EventsController };
//# sourceMappingURL=events.controller.js.map