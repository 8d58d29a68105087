import { Module } from '@nestjs/common';
import { EmbedProcessor } from '../embeddings/embed.processor.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { MomentumModule } from '../momentum/momentum.module.js';
import { MoverModule } from '../mover/mover.module.js';

/** Job consumers: embedding now; the mover joins here. No HTTP routes of its own. */
@Module({
  imports: [EmbeddingsModule, MoverModule, MomentumModule],
  providers: [EmbedProcessor],
})
export class WorkerModule {}
