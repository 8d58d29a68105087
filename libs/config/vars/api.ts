import { z } from 'zod';
import { list } from '../fields.js';
import { spec } from '../spec.js';

/** The api role: HTTP surface. */
export const API_VARS = {
  API_CORS_ORIGINS: spec({
    schema: list(),
    roles: ['api'],
    default: '*',
    description: 'Comma list of allowed CORS origins, or * for any.',
  }),
  API_BODY_LIMIT: spec({
    schema: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb'),
    roles: ['api'],
    default: '100kb',
    description: 'Max request body size; larger bodies get 413.',
  }),
};
