#!/usr/bin/env node
/**
 * `sift <command> [args]`: one entry point for the operator commands (package.json `bin`, so
 * `npx sift …` works in a checkout and `sift …` in the image). Each command is its own file in
 * src/cli/ that runs on import and reads `process.argv` from index 2, so the dispatcher only
 * drops its own command word and imports the file.
 */
const COMMANDS: Record<string, { file: string; summary: string }> = {
  start: { file: '../main.js', summary: 'run roles: sift start [all|relay|api|worker|relay,api]' },
  migrate: { file: './migrate.js', summary: 'apply migrations; --check-drift compares the live schema with the snapshot' },
  'keys:create': { file: './keys-create.js', summary: 'create an API key: --name N --scopes read,admin' },
  usage: { file: './usage.js', summary: 'usage per API key over a range (default last 24 h): --from ISO --to ISO --key ID --json' },
  'config:check': { file: './config-check.js', summary: 'validate the environment for a role set and print the resolved config' },
  models: { file: './models.js', summary: 'model registry: sift models list|register|eval|promote|rollback|retire' },
  'env:example': { file: './env-example.js', summary: 'write .env.example and the configuration docs (--check compares)' },
};

const [command, ...rest] = process.argv.slice(2);
const entry = command ? COMMANDS[command] : undefined;
if (!entry) {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  process.stderr.write(`${command ? `sift: unknown command "${command}"\n\n` : ''}usage: sift <command> [args]\n\n${lines.join('\n')}\n`);
  process.exit(command && command !== 'help' && command !== '--help' ? 64 : 0); // EX_USAGE
}
process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
await import(entry.file);
