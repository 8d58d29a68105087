#!/usr/bin/env node
// Regenerates web/src/api/openapi.json (from a running Sift's /docs-json) and web/src/api/schema.d.ts
// (openapi-typescript). Usage: npm run web:openapi [-- http://127.0.0.1:3000]  (or SIFT_URL=…)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const api = join(here, '../src/api');
const base = (process.argv[2] ?? process.env.SIFT_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
if (process.argv[2] !== '--types-only') {
  const res = await fetch(`${base}/docs-json`);
  if (!res.ok) throw new Error(`${base}/docs-json answered ${res.status}`);
  const doc = await res.json();
  writeFileSync(join(api, 'openapi.json'), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote web/src/api/openapi.json from ${base}/docs-json`);
}
execFileSync(process.execPath, [join(here, '../../node_modules/openapi-typescript/bin/cli.js'), join(api, 'openapi.json'), '-o', join(api, 'schema.d.ts')], { stdio: 'inherit' });
