import type { z } from 'zod';
import type { Role } from './roles.js';

/**
 * One env var: which roles need it, its default (as the string an operator would type), whether
 * it is a secret, and what it does. Startup, `npm run config:check`, `.env.example` and the docs
 * tables are all generated from these.
 */
export interface VarSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  roles: readonly Role[] | 'all';
  default?: string;
  /** Needed (no default) by these roles. */
  required?: boolean;
  secret?: boolean;
  description: string;
}

/** Keeps the literal type (so `default` presence types the resolved config). */
export const spec = <const V extends VarSpec>(s: V) => s;
export const ALL = 'all' as const;
