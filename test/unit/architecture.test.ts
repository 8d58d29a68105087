import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The import arrows docs/architecture.md allows, checked over every file of src/ and libs/. */
const ROOT = resolve(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Every relative import of a file, as a repo-relative path. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/from '(\.[^']+)'/g)].map((m) => relative(ROOT, resolve(file, '..', m[1]!)).replace(/\.js$/, '.ts'));
}

const area = (p: string) => {
  const parts = p.split('/');
  if (p === 'src/schema.ts') return 'migrations'; // the migration list, shared by every role
  return parts[0] === 'libs' ? 'libs' : parts[0] === 'src' ? (parts.length > 2 ? parts[1]! : 'app') : parts[0]!;
};

/** area → areas it may import (besides itself, libs, core and migrations). */
const ALLOWED: Record<string, string[]> = {
  libs: [],
  events: ['api/auth/auth.decorators.ts'],
  relay: ['events'],
  embeddings: ['events'],
  search: ['events', 'embeddings', 'models/models.service.ts', 'models/models.module.ts', 'api/limits', 'api/auth/auth.decorators.ts'],
  relevance: ['events', 'embeddings', 'search', 'models', 'api/limits'],
  models: ['events', 'embeddings', 'api/auth/auth.decorators.ts'],
  momentum: [],
  mover: ['events'],
  health: ['embeddings', 'relay', 'api'],
  api: ['events', 'search', 'embeddings', 'momentum', 'models/models.module.ts', 'relay/relay.repository.ts', 'relay/relay.module.ts', 'usage', 'llm/llm.module.ts', 'alerts/alerts.module.ts', 'watches/watches.module.ts'],
  usage: ['api/auth/auth.decorators.ts'],
  // The LLM gateway raises budget alerts through libs/contracts/alerts.ts (ALERT_SINK), not alerts internals.
  llm: ['api/auth/auth.decorators.ts'],
  alerts: [],
  // Watches raise through ALERT_SINK (libs/contracts/alerts.ts) and read batches via the embeddings repository.
  watches: ['embeddings', 'models/models.service.ts', 'models/models.module.ts'],
  // CoreModule provides the usage meter to every role and flushes it last at shutdown.
  core: ['usage/usage-meter.ts', 'usage/usage.repository.ts'],
  worker: ['embeddings', 'mover', 'momentum', 'models/models.module.ts', 'usage', 'watches/watches.module.ts'],
  cli: ['*'],
  app: ['*'],
};

describe('module boundaries (docs/architecture.md)', () => {
  const all = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'libs'))].map((f) => relative(ROOT, f));
  const violations: string[] = [];
  for (const f of all) {
    const from = area(f);
    const allowed = ALLOWED[from] ?? [];
    for (const target of importsOf(join(ROOT, f))) {
      const to = area(target);
      if (to === from || to === 'libs' || to === 'core' || to === 'migrations' || allowed.includes('*')) continue;
      const inner = target.split('/').slice(1).join('/');
      if (from === 'libs' || !allowed.some((a) => inner === a || inner.startsWith(`${a}/`) || to === a)) violations.push(`${f} → ${target}`);
    }
  }

  it('finds the files it checks', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('no module imports past the allowed arrows', () => {
    expect(violations).toEqual([]);
  });
});
