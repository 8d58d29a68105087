import { Module } from '@nestjs/common';
import { EmbedProcessor } from '../embeddings/embed.processor.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';

/** Job consumers: embedding now; the mover joins here. No HTTP routes of its own. */
@Module({
  imports: [EmbeddingsModule],
  providers: [EmbedProcessor],
})
export class WorkerModule {}
