import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * No Docker engine here, so the image's build stage is replayed by hand: only what its COPY lines
 * bring in is put in a scratch folder, then the stage's own build commands run there. A file the
 * build needs but the Dockerfile forgets to copy (as web/ once was) fails this test, not a
 * release. (The npm install step is the one part not replayed: node_modules is linked in.)
 */
const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const buildStage = dockerfile.split(/^FROM /m).find((s) => / AS build\s*$/m.test(s.split('\n')[0]!))!;
const copied = [...buildStage.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
const runs = [...buildStage.matchAll(/^RUN (.+)$/gm)].map((m) => m[1]!.trim());
const dir = mkdtempSync(join(tmpdir(), 'sift-image-'));

describe('Dockerfile build stage (replayed without Docker)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs the way CI does, not with npm ci (which refuses this npm\'s lockfiles)', () => {
    expect(runs.some((r) => /npm install\b.*--ignore-scripts/.test(r))).toBe(true);
    expect(runs.filter((r) => /npm ci\b/.test(r))).toEqual([]);
  });

  it('builds server, dashboard and bundled model from exactly what it copies', () => {
    for (const p of copied) {
      expect(existsSync(join(ROOT, p)), `COPY source ${p} exists`).toBe(true);
      cpSync(join(ROOT, p), join(dir, p), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const build = runs.find((r) => r.includes('npm run build'))!.replace(/&& npm prune.*$/, '');
    const r = spawnSync('sh', ['-c', build], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(existsSync(join(dir, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/web/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'models/glove-100d'))).toBe(true);
  }, 300_000);
});
