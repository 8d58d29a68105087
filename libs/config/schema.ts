import type { z } from 'zod';
import type { Role } from './roles.js';
import type { VarSpec } from './spec.js';
import { API_VARS } from './vars/api.js';
import { CORE_VARS } from './vars/core.js';
import { EMBEDDINGS_VARS } from './vars/embeddings.js';
import { MODELS_VARS } from './vars/models.js';
import { ALERT_VARS, LLM_VARS } from './vars/llm.js';
import { MOVER_VARS } from './vars/mover.js';
import { RELAY_VARS } from './vars/relay.js';
import { SEARCH_VARS } from './vars/search.js';
import { USAGE_VARS } from './vars/usage.js';
import { WATCH_VARS } from './vars/watches.js';
import { WEB_VARS } from './vars/web.js';

export type { VarSpec } from './spec.js';

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
  ...MODELS_VARS,
  ...WEB_VARS,
  ...USAGE_VARS,
  ...LLM_VARS,
  ...ALERT_VARS,
  ...WATCH_VARS,
} satisfies Record<string, VarSpec>;

export type EnvName = keyof typeof ENV_SCHEMA;
type Out<K extends EnvName> = z.output<(typeof ENV_SCHEMA)[K]['schema']>;
type HasDefault<K extends EnvName> = (typeof ENV_SCHEMA)[K] extends { default: string } ? K : never;
type RequiredVar<K extends EnvName> = (typeof ENV_SCHEMA)[K] extends { required: true } ? K : never;

/** Resolved config. Vars with a default or marked required are always set for the roles that need them. */
export type SiftConfig = {
  [K in EnvName as K extends HasDefault<K> | RequiredVar<K> ? K : never]: Out<K>;
} & {
  [K in EnvName as K extends HasDefault<K> | RequiredVar<K> ? never : K]?: Out<K>;
} & { roles: Role[] };
