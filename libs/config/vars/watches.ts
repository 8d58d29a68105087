import { int } from '../fields.js';
import { spec } from '../spec.js';

/** Watches (src/watches): saved queries evaluated on the worker against every new batch of events. */
export const WATCH_VARS = {
  WATCH_INTERVAL_MS: spec({
    schema: int(50, 3_600_000),
    roles: ['worker'],
    default: '1000',
    description: 'How often the worker checks new stored events against every active watch (each check drains every batch since the cursor).',
  }),
  WATCH_BATCH_MAX: spec({
    schema: int(1, 100_000),
    roles: ['worker'],
    default: '2000',
    description: 'Events read per watch-evaluation batch (one read, compared in process against every watch).',
  }),
  WATCH_VECTOR_GRACE_MS: spec({
    schema: int(0, 86_400_000),
    roles: ['worker'],
    default: '60000',
    description: 'How long evaluation waits for a new event\'s vector before evaluating past it (e.g. it failed to embed); semantic watches cannot match it then.',
  }),
  WATCH_MAX_PER_KEY: spec({
    schema: int(1, 100_000),
    roles: ['api'],
    default: '1000',
    description: 'Most watches one API key may own; POST /watches beyond it gets 409.',
  }),
};
