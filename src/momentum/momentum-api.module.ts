import { Module } from '@nestjs/common';
import { TrendsController } from './trends.controller.js';

/** Api role: GET /trends and GET /trends/:entity (reads snapshots and per-minute counts). */
@Module({
  controllers: [TrendsController],
})
export class MomentumApiModule {}
