import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../libs/config/index.js';
import { startSift, type SiftApp } from '../../src/bootstrap.js';
import { REDIS_URL } from './env.js';

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
      ...env,
    },
    roles,
  );
  return startSift(cfg);
}

export async function getJson<T = any>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}
