import { Module } from '@nestjs/common';
import { BatchVectors } from './batch-vectors.js';
import { defaultModelLoaders, EmbeddingsService, MODEL_LOADERS } from './embeddings.service.js';
import { defaultHardwareProbe, HARDWARE_PROBE } from './hardware-probe.js';
import { VectorStore } from './vector-store.js';

/** The model chain and the vector tables; imported by the api (queries) and worker (jobs). */
@Module({
  providers: [
    EmbeddingsService,
    BatchVectors,
    VectorStore,
    { provide: MODEL_LOADERS, useValue: defaultModelLoaders },
    { provide: HARDWARE_PROBE, useValue: defaultHardwareProbe },
  ],
  exports: [EmbeddingsService, BatchVectors, VectorStore],
})
export class EmbeddingsModule {}
