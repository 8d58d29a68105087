import { Module } from '@nestjs/common';
import { EmbeddingsWorkerModule } from '../embeddings/embeddings.module.js';
import { ModelsWorkerModule } from '../models/models.module.js';
import { MomentumModule } from '../momentum/momentum.module.js';
import { MoverModule } from '../mover/mover.module.js';
import { UsageWorkerModule } from '../usage/usage.module.js';
import { WatchesWorkerModule } from '../watches/watches.module.js';

/** The worker role selects its job modules; each owns its processor. No HTTP routes of its own. */
@Module({
  imports: [EmbeddingsWorkerModule, MoverModule, MomentumModule, UsageWorkerModule, ModelsWorkerModule, WatchesWorkerModule],
})
export class WorkerModule {}
