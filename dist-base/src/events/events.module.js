var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
/** Owner of the events tables (events, events_archive, events_all): their one repository. */
let EventsModule = class EventsModule {
};
EventsModule = __decorate([
    Module({
        providers: [EventsRepository],
        exports: [EventsRepository],
    })
], EventsModule);
export { EventsModule };
/** Api role: GET /events and GET /events/:id. */
let EventsApiModule = class EventsApiModule {
};
EventsApiModule = __decorate([
    Module({
        imports: [EventsModule],
        controllers: [EventsController],
    })
], EventsApiModule);
export { EventsApiModule };
//# sourceMappingURL=events.module.js.map