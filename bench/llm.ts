/**
 * `npm run bench:llm` — the LLM gateway's own overhead per call.
 *
 *   node dist/bench/llm.js [--calls 2000] [--quick]
 *
 * One fresh database (migrated), one local OpenAI-compatible mock (test/support/openai-mock.ts).
 * Side by side, interleaved call by call: a raw `fetch` POST of the same chat-completions body,
 * and `LlmGateway.complete` (budget reserve + settle in Postgres, breaker, retry budget, metering)
 * for a key with per-key and global budgets set. Reported: p50/p99 per side and the p99 added.
 */
import { createDataSource, runMigrationsLocked } from '../libs/database/index.js';
import { MIGRATIONS } from '../migrations/index.js';
import { chatEndpoint } from '../src/llm/openai-link.js';
import { toMessages } from '../src/llm/llm.gateway.js';
import { OpenAiMock } from '../test/support/openai-mock.js';
import { createDatabase } from './lib/bench-env.js';
import { buildGateway, llmConfig } from './lib/llm-harness.js';
import { check, emitReport, parseFlags, positiveIntFlag } from './lib/report.js';

const flags = parseFlags();
const CALLS = positiveIntFlag(flags, 'calls', flags.has('quick') ? 300 : 2000);
const log = (msg: string) => process.stderr.write(`[bench:llm] ${msg}\n`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main() {
  const db = await createDatabase('sift_bench_llm');
  const ds = createDataSource({ url: db.url, migrations: MIGRATIONS });
  await ds.initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
  const mock = new OpenAiMock();
  const url = await mock.start();
  const link = { name: 'mock', baseUrl: url, model: 'm', timeoutMs: 5000, maxTokens: 64, priceInPer1M: '0.150', priceOutPer1M: '0.600' };
  const cfg = llmConfig(db.url, { LLM_CHAIN: JSON.stringify([link]), LLM_KEY_USD_PER_DAY: '1000', LLM_KEY_USD_PER_MIN: '1000', LLM_BUDGET_USD_PER_DAY: '100000', LLM_BUDGET_USD_PER_HOUR: '100000' });
  const g = buildGateway(cfg);
  const inputs = [{ id: 'e1', text: 'Bitcoin rose 5 percent today after the ETF news. Traders cheered.' }];
  const rawBody = JSON.stringify({ model: 'm', messages: toMessages('Summarise.', inputs), max_tokens: 64, temperature: 0 });
  const endpoint = chatEndpoint(url);
  const raw = async () => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rawBody, signal: AbortSignal.timeout(5000) });
    JSON.parse(await res.text());
  };
  const gateway = async () => {
    const r = await g.gateway.complete({ scope: { keyId: 'bench' }, purpose: 'bench', system: 'Summarise.', inputs, maxTokens: 64 });
    if (r.link !== 'mock') throw new Error(`gateway fell through: ${r.reason.join('; ')}`);
  };
  log('warm-up');
  for (let i = 0; i < 100; i++) {
    await raw();
    await gateway();
  }
  const rawMs: number[] = [];
  const gwMs: number[] = [];
  log(`${CALLS} calls per side, interleaved`);
  for (let i = 0; i < CALLS; i++) {
    // Alternate which goes first so neither side always runs on a warmer connection.
    const order = i % 2 ? [raw, gateway] : [gateway, raw];
    for (const f of order) {
      const t0 = performance.now();
      await f();
      (f === raw ? rawMs : gwMs).push(performance.now() - t0);
    }
  }
  await g.close();
  await mock.close();
  await db.drop();
  const rows = [
    ['raw fetch to the mock', pct(rawMs, 50), pct(rawMs, 99)],
    ['LlmGateway.complete', pct(gwMs, 50), pct(gwMs, 99)],
    ['added by the gateway', pct(gwMs, 50) - pct(rawMs, 50), pct(gwMs, 99) - pct(rawMs, 99)],
  ];
  const addedP99 = pct(gwMs, 99) - pct(rawMs, 99);
  emitReport({
    bench: 'llm',
    title: 'LLM gateway overhead per call vs the raw HTTP call (local mock)',
    params: { calls: CALLS },
    tables: [{ headers: ['path', 'p50 ms', 'p99 ms'], rows }],
    checks: [check('gateway p99 added per call', addedP99, '<=', 2, 'ms', 2)],
    figures: { rawP50: pct(rawMs, 50), rawP99: pct(rawMs, 99), gatewayP50: pct(gwMs, 50), gatewayP99: pct(gwMs, 99), addedP99 },
    notes: ['The gateway side includes two Postgres transactions per call (reserve on 4 budget rows, settle), on the same machine as the database.'],
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
