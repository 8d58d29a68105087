import { Module } from '@nestjs/common';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { EventsModule } from '../events/events.module.js';
import { DriftMonitor } from './drift.monitor.js';
import { ModelsController } from './models.controller.js';
import { ModelsRepository } from './models.repository.js';
import { ModelsService } from './models.service.js';
import { ReembedProcessor } from './reembed.processor.js';

/** The model registry: which model answers queries, and the lifecycle operations. Imported by search (api) and the worker. */
@Module({
  imports: [EmbeddingsModule, EventsModule],
  providers: [ModelsRepository, ModelsService, DriftMonitor],
  exports: [ModelsService, ModelsRepository, DriftMonitor],
})
export class ModelsModule {}

/** Api role: GET /admin/models, GET /admin/drift. */
@Module({ imports: [ModelsModule], controllers: [ModelsController] })
export class ModelsApiModule {}

/** Worker role: promotion re-embeds, the switch at coverage, and the drift job. */
@Module({ imports: [ModelsModule, EventsModule, EmbeddingsModule], providers: [ReembedProcessor] })
export class ModelsWorkerModule {}
