import { Module } from '@nestjs/common';
import { MomentumProcessor } from './momentum.processor.js';
import { MomentumService } from './momentum.service.js';

/** Worker role: the scheduled leaderboard recompute, snapshots and `trends.changed` broadcasts. */
@Module({
  providers: [MomentumService, MomentumProcessor],
  exports: [MomentumService, MomentumProcessor],
})
export class MomentumModule {}
