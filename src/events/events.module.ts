import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';

/** Owner of the events tables (events, events_archive, events_all): their one repository. */
@Module({
  providers: [EventsRepository],
  exports: [EventsRepository],
})
export class EventsModule {}

/** Api role: GET /events and GET /events/:id. */
@Module({
  imports: [EventsModule],
  controllers: [EventsController],
})
export class EventsApiModule {}
