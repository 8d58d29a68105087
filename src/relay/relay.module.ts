import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { RelayRepository } from './relay.repository.js';
import { RelayService } from './relay.service.js';

/** The relay's tables (cursors, gaps, quarantine); the api's /sources view reads them too. */
@Module({
  providers: [RelayRepository],
  exports: [RelayRepository],
})
export class RelayDataModule {}

/** Relay role: every configured source, writing through the events and relay repositories. */
@Module({
  imports: [EventsModule, RelayDataModule],
  providers: [RelayService],
  exports: [RelayService],
})
export class RelayModule {}
