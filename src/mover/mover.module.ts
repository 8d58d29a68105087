import { Module } from '@nestjs/common';
import type { SiftConfig } from '../../libs/config/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { EventsModule } from '../events/events.module.js';
import { EventsRepository } from '../events/events.repository.js';
import { Mover, moverOptionsOf } from './mover.js';
import { MoverProcessor } from './mover.processor.js';

/** Worker role: hot → archive tiering and archive retention on a job schedule. */
@Module({
  imports: [EventsModule],
  providers: [
    { provide: Mover, inject: [EventsRepository, SIFT_CONFIG], useFactory: (events: EventsRepository, cfg: SiftConfig) => new Mover(events, moverOptionsOf(cfg)) },
    MoverProcessor,
  ],
  exports: [Mover, MoverProcessor],
})
export class MoverModule {}
