import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, renderEnvTable } from '../../libs/config/index.js';
/**
 * `npm run env:example` regenerates everything derived from the env schema: .env.example and the
 * env-var tables between `<!-- env-table:start -->` / `<!-- env-table:end -->` in the docs.
 * `-- --check` changes nothing and fails if any of them is stale (CI runs this).
 */
const START = '<!-- env-table:start -->';
const END = '<!-- env-table:end -->';
const check = process.argv.includes('--check');
const table = renderEnvTable();
const targets = [
    { file: '.env.example', render: () => renderEnvExample() },
    ...['README.md', 'docs/operations.md']
        .filter((f) => existsSync(f))
        .map((file) => ({
        file,
        render: (current) => {
            const a = current.indexOf(START);
            const b = current.indexOf(END);
            if (a < 0 || b < a)
                return current;
            return `${current.slice(0, a + START.length)}\n${table}\n${current.slice(b)}`;
        },
    })),
];
let stale = 0;
for (const t of targets) {
    const current = existsSync(t.file) ? readFileSync(t.file, 'utf8') : '';
    const next = t.render(current);
    if (next === current)
        continue;
    if (check) {
        stale++;
        process.stderr.write(`${t.file} is out of date with libs/config/schema.ts: run \`npm run env:example\`\n`);
    }
    else {
        writeFileSync(t.file, next);
        process.stdout.write(`wrote ${t.file}\n`);
    }
}
if (check && stale)
    process.exit(1);
if (check)
    process.stdout.write('generated env docs are up to date\n');
//# sourceMappingURL=env-example.js.map