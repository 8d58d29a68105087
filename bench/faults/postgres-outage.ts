import { runPostgresFault, type PostgresFaultResult } from './postgres-scenario.js';

/**
 * npm run test:faults:postgres — Postgres crash and long outage under a live relay at 1,000 ev/s,
 * on private clusters (ports 3522-3524; never the shared :5432). Prints what the source sent vs
 * what was stored (lost, duplicated) per scenario. FAULT_DOWN_MS (default 300000 = 5 min) sets
 * the outage length. Stops by itself.
 */
const downMs = Number(process.env.FAULT_DOWN_MS ?? 300_000);
const rate = 1000;
const log = (m: string) => console.log(`  ${new Date().toISOString()} ${m}`);
const results: PostgresFaultResult[] = [];

async function run(label: string, p: Promise<PostgresFaultResult>) {
  console.log(`== ${label}`);
  const r = await p;
  console.log(JSON.stringify(r));
  results.push(r);
}

await run('a) kill -9 mid-ingest, relay defaults (synchronous commit of the batch statement)', runPostgresFault({ port: 3522, fault: 'kill', downMs: 5_000, rate, beforeMs: 5_000, afterMs: 3_000, resume: true, log }));
await run('a2) kill -9 mid-ingest, synchronous_commit=off cluster-wide', runPostgresFault({ port: 3522, fault: 'kill', downMs: 5_000, rate, beforeMs: 5_000, afterMs: 3_000, resume: true, pgSettings: { synchronous_commit: 'off' }, log }));
await run(`b) stopped ${downMs} ms, replaying source that drops slow consumers after 30 s`, runPostgresFault({ port: 3523, fault: 'stop', downMs, rate, beforeMs: 5_000, afterMs: 5_000, resume: true, slowConsumerDropMs: 30_000, log }));
await run(`c) stopped ${downMs} ms, non-replaying source that drops slow consumers after 30 s`, runPostgresFault({ port: 3524, fault: 'stop', downMs, rate, beforeMs: 5_000, afterMs: 5_000, resume: false, slowConsumerDropMs: 30_000, log }));
await run(`c2) stopped ${downMs} ms, non-replaying source that holds a paused consumer (TCP backpressure)`, runPostgresFault({ port: 3524, fault: 'stop', downMs, rate, beforeMs: 5_000, afterMs: 5_000, resume: false, log }));

console.log('\n| scenario | generated | stored | lost | duplicated | ack then undone | missing ≤ recovered cursor | gaps | connections | recovered in |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.scenario} | ${r.generatedPosts} | ${r.stored} | ${r.lost} | ${r.duplicated} | ${r.acknowledgedThenUndone} | ${r.missingBelowRecoveredCursor} | ${r.gaps} | ${r.connections} | ${(r.recoveredInMs / 1000).toFixed(1)} s |`);
}
process.exit(0);
