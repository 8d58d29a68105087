var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { EmbeddingsWorkerModule } from '../embeddings/embeddings.module.js';
import { MomentumModule } from '../momentum/momentum.module.js';
import { MoverModule } from '../mover/mover.module.js';
/** The worker role selects its job modules; each owns its processor. No HTTP routes of its own. */
let WorkerModule = class WorkerModule {
};
WorkerModule = __decorate([
    Module({
        imports: [EmbeddingsWorkerModule, MoverModule, MomentumModule],
    })
], WorkerModule);
export { WorkerModule };
//# sourceMappingURL=worker.module.js.map