import type { DataSource } from 'typeorm';
import { Db } from '../../libs/database/index.js';
import { EmbeddingsRepository } from '../../src/embeddings/embeddings.repository.js';
import { EventsRepository } from '../../src/events/events.repository.js';
import { RelayRepository } from '../../src/relay/relay.repository.js';

/** The repositories a test uses directly, over a data source it opened itself. */
export const eventsRepo = (ds: DataSource) => new EventsRepository(Db.of(ds));
export const embeddingsRepo = (ds: DataSource) => new EmbeddingsRepository(Db.of(ds));
export const relayRepo = (ds: DataSource) => new RelayRepository(Db.of(ds));
