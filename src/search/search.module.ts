import { Module } from '@nestjs/common';
import { LimitsModule } from '../api/limits/limits.module.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { EventsModule } from '../events/events.module.js';
import { ModelsModule } from '../models/models.module.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

/** Api role: /search and /events/:id/similar over the events and embeddings repositories. */
@Module({
  imports: [EventsModule, EmbeddingsModule, LimitsModule, ModelsModule],
  controllers: [SearchController],
  providers: [SearchService],
  exports: [SearchService],
})
export class SearchModule {}
