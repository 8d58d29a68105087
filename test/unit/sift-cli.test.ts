import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The `sift` dispatcher (src/cli/sift.ts), run as the built bin: `npm test` builds first. */
const BIN = resolve(import.meta.dirname, '../../dist/src/cli/sift.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));
const sift = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, SIFT_ENV_FILE: 'none' } });

describe('sift CLI dispatcher', () => {
  it('lists its commands with no argument and exits 0', () => {
    const r = sift();
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/usage: sift <command>/);
    expect(r.stderr).toMatch(/keys:create/);
    expect(r.stderr).toMatch(/usage +usage per API key/);
  });

  it('usage: names a bad argument before touching the database', () => {
    const r = sift('usage', '--from', 'yesterday');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--from must be an ISO 8601 date-time/);
  });

  it('names an unknown command and exits 64 (EX_USAGE)', () => {
    const r = sift('frobnicate');
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('hands the remaining arguments to the command', () => {
    // config:check reads its role set from argv[2]: a split role without DATABASE_URL must fail naming it.
    const r = sift('config:check', 'api');
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/DATABASE_URL/);
  });
});
