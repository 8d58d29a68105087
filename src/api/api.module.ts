import { Module } from '@nestjs/common';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { EventsController } from './events/events.controller.js';
import { EventsRepository } from './events/events.repository.js';
import { EventsGateway } from './realtime/events.gateway.js';
import { SearchController } from './search/search.controller.js';
import { SearchService } from './search/search.service.js';

@Module({
  imports: [EmbeddingsModule],
  controllers: [EventsController, SearchController],
  providers: [EventsRepository, SearchService, EventsGateway],
})
export class ApiModule {}
