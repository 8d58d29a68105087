import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EmbedProcessor } from './embed.processor.js';
import { EmbeddingsRepository } from './embeddings.repository.js';
import { BatchVectors } from './batch-vectors.js';
import { defaultModelLoaders, EmbeddingsService, MODEL_LOADERS } from './embeddings.service.js';
import { defaultHardwareProbe, HARDWARE_PROBE } from './hardware-probe.js';

/** The model chain and the vector tables; imported by the api (queries) and worker (jobs). */
@Module({
  providers: [
    EmbeddingsService,
    EmbeddingsRepository,
    BatchVectors,
    { provide: MODEL_LOADERS, useValue: defaultModelLoaders },
    { provide: HARDWARE_PROBE, useValue: defaultHardwareProbe },
  ],
  exports: [EmbeddingsService, EmbeddingsRepository, BatchVectors],
})
export class EmbeddingsModule {}

/** Worker role: embedding jobs (per stored batch) and the backfill sweep. */
@Module({
  imports: [EmbeddingsModule, EventsModule],
  providers: [EmbedProcessor],
})
export class EmbeddingsWorkerModule {}
