import { API_VARS } from './vars/api.js';
import { CORE_VARS } from './vars/core.js';
import { EMBEDDINGS_VARS } from './vars/embeddings.js';
import { MOVER_VARS } from './vars/mover.js';
import { RELAY_VARS } from './vars/relay.js';
import { SEARCH_VARS } from './vars/search.js';
import { WEB_VARS } from './vars/web.js';
/**
 * The one schema for every env var Sift reads, assembled from per-module sections (each module's
 * vars sit in libs/config/vars/). A name may appear in one section only.
 */
export const ENV_SCHEMA = {
    ...CORE_VARS,
    ...RELAY_VARS,
    ...EMBEDDINGS_VARS,
    ...API_VARS,
    ...SEARCH_VARS,
    ...MOVER_VARS,
    ...WEB_VARS,
};
//# sourceMappingURL=schema.js.map