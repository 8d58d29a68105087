import createClient, { type Middleware } from 'openapi-fetch';
import { apiKey, settings } from '../lib/settings.js';
import { Store } from '../lib/store.js';
import type { components, paths } from './schema.js';

export type Schemas = components['schemas'];
export type EventDto = Schemas['EventDto'];
export type SearchResult = Schemas['SearchResultDto'];
export type SourceDto = Schemas['SourceDto'];
export type SystemOverview = Schemas['SystemOverviewDto'];
export type GapDto = Schemas['GapDto'];
export type TrendsDto = Schemas['TrendsDto'];
export type TrendItem = Schemas['TrendItemDto'];
export type TrendSeries = Schemas['TrendSeriesDto'];

/** Why the last request failed, shown in the banner; null when the API answered. */
export type ApiHealth = { state: 'ok' } | { state: 'down'; message: string } | { state: 'auth'; status: 401 | 403; message: string };
export const apiHealth = new Store<ApiHealth>({ state: 'ok' });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Human text for a failed call: what happened and what to do. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'This API needs a key: enter one above.';
    if (err.status === 403) return `Your key may not do this (${err.message}). Ask for a key with the right scope.`;
    if (err.status === 429) return `Rate limited: try again in ${err.retryAfter ?? 'a few'} s.`;
    if (err.status === 503) return `The API is busy (${err.message}); try again${err.retryAfter ? ` in ${err.retryAfter} s` : ''}.`;
    return `${err.status}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

const auth: Middleware = {
  onRequest({ request }) {
    const k = apiKey.get();
    if (k) request.headers.set('Authorization', `Bearer ${k}`);
    return request;
  },
};

let client: ReturnType<typeof createClient<paths>> | undefined;
export function api() {
  if (!client) {
    client = createClient<paths>({ baseUrl: settings.apiUrl });
    client.use(auth);
  }
  return client;
}

/** Unwraps an openapi-fetch result: the data, or an ApiError (and the banner state updated). */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: Awaited<typeof p>;
  try {
    r = await p;
  } catch (err) {
    apiHealth.set({ state: 'down', message: `Cannot reach the API at ${settings.apiUrl} (${(err as Error).message}).` });
    throw new ApiError(0, 'API unreachable');
  }
  const { data, error, response } = r;
  if (response.ok) {
    if (apiHealth.get().state !== 'ok') apiHealth.set({ state: 'ok' });
    return data as T;
  }
  const msg = typeof error === 'object' && error && 'message' in error ? String((error as { message: unknown }).message) : response.statusText;
  const retry = Number(response.headers.get('retry-after')) || undefined;
  if (response.status === 401 || response.status === 403) apiHealth.set({ state: 'auth', status: response.status, message: msg });
  else if (response.status >= 502 && response.status !== 503) apiHealth.set({ state: 'down', message: `The API answered ${response.status}.` });
  throw new ApiError(response.status, msg, retry);
}

/** Plain-text endpoints outside the OpenAPI document (/metrics). */
export async function getText(path: string): Promise<string> {
  let res: Response;
  try {
    const k = apiKey.get();
    res = await fetch(`${settings.apiUrl}${path}`, { headers: k ? { Authorization: `Bearer ${k}` } : {} });
  } catch (err) {
    apiHealth.set({ state: 'down', message: `Cannot reach the API at ${settings.apiUrl} (${(err as Error).message}).` });
    throw new ApiError(0, 'API unreachable');
  }
  if (!res.ok) throw new ApiError(res.status, res.statusText);
  return res.text();
}

/** /health/ready answers 503 with the same body when something is down: both are data here. */
export async function getReady(): Promise<{ status: number; body: ReadyBody }> {
  let res: Response;
  try {
    res = await fetch(`${settings.apiUrl}/health/ready`);
  } catch (err) {
    apiHealth.set({ state: 'down', message: `Cannot reach the API at ${settings.apiUrl} (${(err as Error).message}).` });
    throw new ApiError(0, 'API unreachable');
  }
  return { status: res.status, body: (await res.json()) as ReadyBody };
}
export interface ReadyBody {
  status: string;
  details?: Record<string, { status: string; [k: string]: unknown }>;
}
export type ModelsDto = Schemas['ModelsDto'];
export type ModelDto = Schemas['ModelDto'];
export type DriftDto = Schemas['DriftDto'];
