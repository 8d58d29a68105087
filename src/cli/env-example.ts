import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample } from '../../libs/config/index.js';

/** `npm run env:example` writes .env.example; `-- --check` fails if the committed one is stale. */
const text = renderEnvExample();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync('.env.example', 'utf8');
  } catch {}
  if (current !== text) {
    process.stderr.write('.env.example is out of date with libs/config/schema.ts: run `npm run env:example`\n');
    process.exit(1);
  }
  process.stdout.write('.env.example is up to date\n');
} else {
  writeFileSync('.env.example', text);
  process.stdout.write('wrote .env.example\n');
}
