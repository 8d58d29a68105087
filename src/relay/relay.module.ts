import { Module } from '@nestjs/common';
import { EventStore } from './event-store.js';
import { RelayService } from './relay.service.js';

@Module({
  providers: [EventStore, RelayService],
  exports: [RelayService],
})
export class RelayModule {}
