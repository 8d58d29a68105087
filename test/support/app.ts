import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../libs/config/index.js';
import { startSift, type SiftApp } from '../../src/bootstrap.js';
import { REDIS_URL } from './env.js';

/** Admin key every test app is booted with; getJson sends it unless told otherwise. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** Boots Sift in this process against real services, with test-friendly defaults. */
export async function bootSift(env: Record<string, string | undefined>, roles = 'all'): Promise<SiftApp> {
  const cfg = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL,
      // Every app gets its own Redis namespace so leftover jobs of one test never reach another.
      REDIS_KEY_PREFIX: `sift-test-${randomBytes(3).toString('hex')}`,
      RELAY_BATCH_LINGER_MS: '20',
      API_ADMIN_KEY: TEST_ADMIN_KEY,
      ...env,
    },
    roles,
  );
  return startSift(cfg);
}

export async function getJson<T = any>(url: string, init: RequestInit & { key?: string | null } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const { key = TEST_ADMIN_KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...rest, headers });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

/** One series' value on `${baseUrl}/metrics` (name and labels as exposed, e.g. `x{a="b"}`); 0 when absent. */
export async function metricValue(baseUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
