import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { createDataSource, Db } from '../../libs/database/index.js';
import { ApiKeysRepository } from '../api/auth/api-keys.repository.js';
import { MIGRATIONS } from '../schema.js';
import { byKey, type UsageSummary } from '../usage/usage-report.js';
import { UsageRepository, type Granularity } from '../usage/usage.repository.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const HELP = `sift usage [--from ISO] [--to ISO] [--key ID] [--json]

Usage per API key over a range (default: the last 24 hours), read from the database
(DATABASE_URL). Ranges up to a day are summed from minute rows, up to 62 days from hour rows,
longer ones from day rows. Counters reach the database every USAGE_FLUSH_INTERVAL.
  --from, --to  ISO 8601 date-times (to defaults to now)
  --key ID      only this key id (\`admin\` for API_ADMIN_KEY)
  --json        one JSON document instead of the table
`;

interface KeyLine {
  keyId: string | null;
  name: string;
  requests: number;
  errors: number;
  searches: number;
  queryEmbeddings: number;
  embeddingTokens: number;
  llmTokensIn: number;
  llmTokensOut: number;
  costUsd: string;
}

function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a === '--help' || a === '-h') flags.set(a, true);
    else if (a === '--from' || a === '--to' || a === '--key') {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      flags.set(a, v);
    } else throw new Error(`unknown argument "${a}"\n\n${HELP}`);
  }
  return flags;
}

function date(flag: string, v: string | true | undefined, fallback: Date): Date {
  if (v === undefined || v === true) return fallback;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag} must be an ISO 8601 date-time, e.g. 2026-11-24T00:00:00Z (got "${v}")`);
  return d;
}

function line(keyId: string | null, name: string, s: UsageSummary): KeyLine {
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
  return {
    keyId,
    name,
    requests: sum(s.requests, (r) => r.count),
    errors: sum(s.requests.filter((r) => r.statusClass === '4xx' || r.statusClass === '5xx'), (r) => r.count),
    searches: sum(s.searches, (r) => r.count),
    queryEmbeddings: sum(s.queryEmbeddings, (r) => r.count),
    embeddingTokens: sum(s.embeddingTokens, (r) => r.tokens),
    llmTokensIn: sum(s.llm, (r) => r.tokensIn),
    llmTokensOut: sum(s.llm, (r) => r.tokensOut),
    costUsd: s.costUsd,
  };
}

function table(lines: KeyLine[]): string {
  const head = ['key', 'name', 'requests', 'errors', 'searches', 'query emb', 'emb tokens', 'llm in', 'llm out', 'cost USD'];
  const rows = lines.map((l) => [l.keyId ?? '(none)', l.name, l.requests, l.errors, l.searches, l.queryEmbeddings, l.embeddingTokens, l.llmTokensIn, l.llmTokensOut, l.costUsd].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

async function main() {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const to = date('--to', flags.get('--to'), new Date());
  const rawFrom = date('--from', flags.get('--from'), new Date(to.getTime() - DAY_MS));
  if (rawFrom >= to) throw new Error('--to must be after --from');
  const span = to.getTime() - rawFrom.getTime();
  const granularity: Granularity = span <= DAY_MS ? 'minute' : span <= 62 * DAY_MS ? 'hour' : 'day';
  const unit = granularity === 'minute' ? 60_000 : granularity === 'hour' ? HOUR_MS : DAY_MS;
  const from = new Date(Math.floor(rawFrom.getTime() / unit) * unit);
  const key = flags.get('--key');

  const cfg = loadConfig({ ...process.env, SIFT_ROLES: 'api' });
  const ds = createDataSource({ url: cfg.DATABASE_URL!, migrations: MIGRATIONS, poolMax: 1 });
  await ds.initialize();
  try {
    const db = Db.of(ds);
    const [totals, keys] = await Promise.all([
      new UsageRepository(db).totals({ granularity, from, to, keyId: typeof key === 'string' ? key : undefined }),
      new ApiKeysRepository(db).list(),
    ]);
    const names = new Map(keys.map((k) => [k.id, k.name]));
    const nameOf = (id: string | null) => (id === null ? '(no key)' : id === 'admin' ? 'API_ADMIN_KEY' : names.get(id) ?? '(deleted key)');
    const lines = byKey(totals).map((k) => line(k.keyId, nameOf(k.keyId), k));
    if (flags.has('--json')) {
      process.stdout.write(`${JSON.stringify({ from: from.toISOString(), to: to.toISOString(), granularity, keys: lines }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`usage ${from.toISOString()} → ${to.toISOString()} (from ${granularity} rows)\n\n`);
    process.stdout.write(lines.length ? `${table(lines)}\n` : 'no usage recorded in this range\n');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
