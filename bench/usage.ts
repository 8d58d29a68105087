/**
 * `npm run bench:usage` — what usage metering costs on `GET /events` throughput.
 *
 *   node dist/bench/usage.js [--events 10000] [--connections 10] [--duration 8] [--rounds 3] [--quick]
 *
 * - One fresh database and Redis namespace; two `api` processes on it, identical but for
 *   USAGE_METERING (true / false). Both serve the same seeded events.
 * - Measured side by side in the same run: rounds alternate on/off (on, off, off, on, on, off …,
 *   so neither side always goes first), each a warm-up then an autocannon run against one
 *   process while the other is idle. Reported: median req/s and latency per side, and the ratio.
 * - Then the metered process is stopped gracefully (its last flush) and the stored count of
 *   `GET /events 2xx` must equal the 2xx answers autocannon counted (warm-ups included), plus at
 *   most the requests still in flight when each autocannon run stopped.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { benchSiftEnv, createDatabase, createKey, gitRevision, pgQuery, redisNamespace, runBench, startSift, waitForQuiet } from './lib/bench-env.js';
import { check, emitReport, fmt, median, parseFlags, positiveNumberFlag, type Cell } from './lib/report.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;

const flags = parseFlags();
const QUICK = flags.has('quick');
const num = (name: string, dflt: number) => positiveNumberFlag(flags, name, dflt);
const EVENTS = Math.round(num('events', QUICK ? 2_000 : 10_000));
const CONNECTIONS = Math.round(num('connections', 10));
const DURATION_S = num('duration', QUICK ? 3 : 8);
const WARMUP_S = num('warmup', QUICK ? 1 : 2);
const ROUNDS = Math.round(num('rounds', QUICK ? 2 : 3));
const PATH = '/events?limit=50';

const log = (msg: string) => process.stderr.write(`[bench:usage] ${msg}\n`);

async function main() {
  const backgroundCores = await waitForQuiet(120_000, 0.3, log);
  const db = await createDatabase('sift_bench_usage');
  const ns = redisNamespace('sift-bench-usage');
  const common = { MOVER_ENABLED: 'false', MOMENTUM_ENABLED: 'false', EMBEDDINGS_ENABLED: 'false' };
  const on = await startSift({ name: 'metering on', roles: 'api', env: benchSiftEnv({ databaseUrl: db.url, redisPrefix: ns, extra: { ...common, USAGE_METERING: 'true' } }) });
  const off = await startSift({ name: 'metering off', roles: 'api', env: benchSiftEnv({ databaseUrl: db.url, redisPrefix: ns, extra: { ...common, USAGE_METERING: 'false' } }) });

  log(`seeding ${EVENTS} events`);
  await pgQuery(
    db.url,
    `INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
     SELECT 'bench', 'e' || i, 'did:plc:a' || (i % 97), 'sample post ' || i || ' about $btc and #ai', ARRAY['$btc', '#ai'], 'en', now() - make_interval(secs => i)
       FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
  await pgQuery(db.url, 'ANALYZE events');
  const key = await createKey(on.url, { name: 'bench-usage', scopes: ['read'], rateLimitPerMin: 1_000_000 });
  const headers = { authorization: `Bearer ${key}` };

  const runs: Record<'on' | 'off', AutocannonResult[]> = { on: [], off: [] };
  let onAnswered2xx = 0;
  // ABBA order: on, off, off, on, on, off, … so drift over the run hits both sides alike.
  const order: ('on' | 'off')[] = [];
  for (let i = 0; i < ROUNDS; i++) order.push(...(i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)));
  for (const side of order) {
    const target = side === 'on' ? on : off;
    const warm = await autocannon({ url: target.url + PATH, connections: CONNECTIONS, duration: WARMUP_S, headers });
    const r = await autocannon({ url: target.url + PATH, connections: CONNECTIONS, duration: DURATION_S, headers });
    if (side === 'on') onAnswered2xx += warm['2xx'] + r['2xx'];
    runs[side].push(r);
    log(`metering ${side}: ${fmt(r.requests.average, 0)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
  }
  // Graceful stop: the last flush writes what the timer had not yet.
  await on.stop();
  await off.stop();
  const [stored] = await pgQuery<{ n: string | null }>(db.url, `SELECT sum(quantity)::text AS n FROM usage_counts WHERE granularity = 'minute' AND metric = 'http_requests' AND dimension = 'GET /events 2xx'`);
  const [flushRows] = await pgQuery<{ n: string }>(db.url, `SELECT count(*)::text AS n FROM usage_counts WHERE granularity = 'minute'`);
  const metered = Number(stored?.n ?? 0);
  const inFlightMax = order.filter((s) => s === 'on').length * 2 * CONNECTIONS;

  const stat = (rs: AutocannonResult[]) => ({
    reqPerS: median(rs.map((r) => r.requests.average)),
    p50: median(rs.map((r) => r.latency.p50)),
    p99: median(rs.map((r) => r.latency.p99)),
    bad: rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    all: rs.map((r) => Math.round(r.requests.average)),
  });
  const sOn = stat(runs.on);
  const sOff = stat(runs.off);
  const ratio = sOn.reqPerS / sOff.reqPerS;
  const git = gitRevision();
  const rows: Cell[][] = [
    ['metering off (USAGE_METERING=false)', fmt(sOff.reqPerS, 0), sOff.all.join(' / '), fmt(sOff.p50, 0), fmt(sOff.p99, 0), String(sOff.bad)],
    ['metering on (default)', fmt(sOn.reqPerS, 0), sOn.all.join(' / '), fmt(sOn.p50, 0), fmt(sOn.p99, 0), String(sOn.bad)],
  ];
  emitReport({
    bench: 'usage',
    title: 'Usage metering: GET /events throughput, metering on vs off',
    params: { events: EVENTS, connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S, rounds: ROUNDS, git: `${git.commit}${git.dirty ? '+dirty' : ''}`, cpus: os.cpus().length },
    tables: [{ title: `GET ${PATH} (latency in ms; medians over ${ROUNDS} runs per side)`, headers: ['process', 'req/s (median)', 'req/s per run', 'p50', 'p99', 'non-2xx + errors'], rows }],
    checks: [
      check('throughput with metering on ÷ off', ratio, '>=', 0.95, '×', 3),
      // Autocannon stops with up to `connections` requests in flight per run: the server answers
      // (and meters) them, autocannon no longer counts them.
      { name: 'metered GET /events 2xx − 2xx counted by autocannon (in flight at each run\'s end)', target: `0 … ${inFlightMax}`, actual: String(metered - onAnswered2xx), pass: metered >= onAnswered2xx && metered - onAnswered2xx <= inFlightMax },
      { name: 'no non-2xx or errors', target: '0', actual: String(sOn.bad + sOff.bad), pass: sOn.bad + sOff.bad === 0 },
    ],
    figures: { on: sOn, off: sOff, ratio, metered, answered2xx: onAnswered2xx, minuteRows: Number(flushRows!.n), backgroundCores },
    notes: [
      `Two api processes on one database and Redis, identical but for USAGE_METERING; one is loaded at a time, alternating (ABBA) so drift over the run hits both. Autocannon runs in the bench process on the same ${os.cpus().length} cores.`,
      `Metering on: a counter increment per request and, every USAGE_FLUSH_INTERVAL (5 s), one upsert of every counter; the whole run left ${flushRows!.n} minute rows. The /metrics latency histogram is on in both processes.`,
      ...(backgroundCores > 0.3 ? [`Other load on the machine before the run: ${fmt(backgroundCores, 2)} cores busy.`] : []),
    ],
  });
}

runBench('usage', main);
