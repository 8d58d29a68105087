import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_SCHEMA, parseRoles } from '../../libs/config/index.js';

/** No Docker engine here: the compose files are validated against the config schema instead. */
const load = (f: string) => parse(readFileSync(f, 'utf8'), { merge: true }) as { services: Record<string, any> };
const SIFT_SERVICES = (doc: ReturnType<typeof load>) => Object.entries(doc.services).filter(([, s]) => String(s.image ?? '').includes('sift'));
const portDefault = Number(ENV_SCHEMA.PORT.default);

describe.each(['deploy/compose.staging.yml', 'deploy/compose.prod.yml'])('%s', (file) => {
  const doc = load(file);

  it('sets only env vars that the config schema declares', () => {
    for (const [name, svc] of SIFT_SERVICES(doc)) {
      for (const key of Object.keys(svc.environment ?? {})) {
        expect(Object.keys(ENV_SCHEMA), `${name}: ${key}`).toContain(key);
      }
    }
  });

  it('gives every Sift service a valid role that matches its command', () => {
    for (const [name, svc] of SIFT_SERVICES(doc)) {
      const roles = parseRoles(svc.environment?.SIFT_ROLES);
      expect(parseRoles(svc.command?.[0]), name).toEqual(roles);
    }
  });

  it('publishes only api-serving services, on the PORT default, and gates start on healthy dependencies', () => {
    for (const [name, svc] of SIFT_SERVICES(doc)) {
      const roles = parseRoles(svc.environment?.SIFT_ROLES);
      if (!roles.includes('api')) expect(svc.ports, `${name} must not be published`).toBeUndefined();
      for (const p of svc.ports ?? []) expect(Number(String(p).split(':').pop()), name).toBe(portDefault);
      expect(Number(svc.environment.PORT), name).toBe(portDefault);
      for (const dep of Object.values(svc.depends_on ?? {}) as { condition: string }[]) expect(dep.condition).toBe('service_healthy');
      expect(svc.healthcheck?.test?.join(' '), name).toContain('/health/ready');
    }
  });
});

describe('production topology', () => {
  const doc = load('deploy/compose.prod.yml');
  it('splits relay, api ×2 and worker from one image', () => {
    const roles = Object.fromEntries(SIFT_SERVICES(doc).map(([n, s]) => [n, parseRoles(s.environment.SIFT_ROLES)]));
    expect(roles).toEqual({ relay: ['relay'], api: ['api'], worker: ['worker'] });
    expect(doc.services.api.deploy.replicas).toBe(2);
    expect(new Set(SIFT_SERVICES(doc).map(([, s]) => s.image)).size).toBe(1);
  });
});
