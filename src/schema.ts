import { EventEntity } from '../libs/database/event.entity.js';
import { EMBEDDINGS_ENTITIES } from './embeddings/embeddings.entities.js';
import { RELAY_ENTITIES } from './relay/relay.entities.js';
import { MIGRATIONS } from '../migrations/index.js';
import { ApiKeyEntity } from './api/auth/api-key.entity.js';
import { MOMENTUM_ENTITIES } from './momentum/momentum.entities.js';

/** Every table's entity, from every module: the data source and the drift check see them all. */
export const ALL_ENTITIES = [EventEntity, ...RELAY_ENTITIES, ...EMBEDDINGS_ENTITIES, ApiKeyEntity, ...MOMENTUM_ENTITIES];
export { MIGRATIONS };
