var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EmbedProcessor } from './embed.processor.js';
import { EmbeddingsRepository } from './embeddings.repository.js';
import { BatchVectors } from './batch-vectors.js';
import { defaultModelLoaders, EmbeddingsService, MODEL_LOADERS } from './embeddings.service.js';
import { defaultHardwareProbe, HARDWARE_PROBE } from './hardware-probe.js';
/** The model chain and the vector tables; imported by the api (queries) and worker (jobs). */
let EmbeddingsModule = class EmbeddingsModule {
};
EmbeddingsModule = __decorate([
    Module({
        providers: [
            EmbeddingsService,
            EmbeddingsRepository,
            BatchVectors,
            { provide: MODEL_LOADERS, useValue: defaultModelLoaders },
            { provide: HARDWARE_PROBE, useValue: defaultHardwareProbe },
        ],
        exports: [EmbeddingsService, EmbeddingsRepository, BatchVectors],
    })
], EmbeddingsModule);
export { EmbeddingsModule };
/** Worker role: embedding jobs (per stored batch) and the backfill sweep. */
let EmbeddingsWorkerModule = class EmbeddingsWorkerModule {
};
EmbeddingsWorkerModule = __decorate([
    Module({
        imports: [EmbeddingsModule, EventsModule],
        providers: [EmbedProcessor],
    })
], EmbeddingsWorkerModule);
export { EmbeddingsWorkerModule };
//# sourceMappingURL=embeddings.module.js.map