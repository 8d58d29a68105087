var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { RelayRepository } from './relay.repository.js';
import { RelayService } from './relay.service.js';
/** The relay's tables (cursors, gaps, quarantine); the api's /sources view reads them too. */
let RelayDataModule = class RelayDataModule {
};
RelayDataModule = __decorate([
    Module({
        providers: [RelayRepository],
        exports: [RelayRepository],
    })
], RelayDataModule);
export { RelayDataModule };
/** Relay role: every configured source, writing through the events and relay repositories. */
let RelayModule = class RelayModule {
};
RelayModule = __decorate([
    Module({
        imports: [EventsModule, RelayDataModule],
        providers: [RelayService],
        exports: [RelayService],
    })
], RelayModule);
export { RelayModule };
//# sourceMappingURL=relay.module.js.map