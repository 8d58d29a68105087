import { Module } from '@nestjs/common';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { ModelsModule } from '../models/models.module.js';
import { WatchEvaluator } from './watch.evaluator.js';
import { WatchesController } from './watches.controller.js';
import { WatchesRepository } from './watches.repository.js';

/** Watches: the table and its repository, shared by both roles. */
@Module({ providers: [WatchesRepository], exports: [WatchesRepository] })
export class WatchesModule {}

/** Api role: POST/GET/PATCH/DELETE /watches. */
@Module({ imports: [WatchesModule, ModelsModule], controllers: [WatchesController] })
export class WatchesApiModule {}

/** Worker role: evaluates every new batch of events against every active watch. */
@Module({ imports: [WatchesModule, ModelsModule, EmbeddingsModule], providers: [WatchEvaluator] })
export class WatchesWorkerModule {}
