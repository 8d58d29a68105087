var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { LimitsModule } from '../api/limits/limits.module.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { EventsModule } from '../events/events.module.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';
/** Api role: /search and /events/:id/similar over the events and embeddings repositories. */
let SearchModule = class SearchModule {
};
SearchModule = __decorate([
    Module({
        imports: [EventsModule, EmbeddingsModule, LimitsModule],
        controllers: [SearchController],
        providers: [SearchService],
        exports: [SearchService],
    })
], SearchModule);
export { SearchModule };
//# sourceMappingURL=search.module.js.map