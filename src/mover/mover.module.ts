import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SiftConfig } from '../../libs/config/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { Mover, moverOptionsOf } from './mover.js';
import { MoverProcessor } from './mover.processor.js';

/** Worker role: hot → archive tiering and archive retention on a job schedule. */
@Module({
  providers: [
    { provide: Mover, inject: [DataSource, SIFT_CONFIG], useFactory: (ds: DataSource, cfg: SiftConfig) => new Mover(ds, moverOptionsOf(cfg)) },
    MoverProcessor,
  ],
  exports: [Mover, MoverProcessor],
})
export class MoverModule {}
