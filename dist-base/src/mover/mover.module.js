var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EventsModule } from '../events/events.module.js';
import { EventsRepository } from '../events/events.repository.js';
import { Mover, moverOptionsOf } from './mover.js';
import { MoverProcessor } from './mover.processor.js';
/** Worker role: hot → archive tiering and archive retention on a job schedule. */
let MoverModule = class MoverModule {
};
MoverModule = __decorate([
    Module({
        imports: [EventsModule],
        providers: [
            { provide: Mover, inject: [EventsRepository, SIFT_CONFIG], useFactory: (events, cfg) => new Mover(events, moverOptionsOf(cfg)) },
            MoverProcessor,
        ],
        exports: [Mover, MoverProcessor],
    })
], MoverModule);
export { MoverModule };
//# sourceMappingURL=mover.module.js.map