/**
 * A second process for the cross-process budget test: `node dist/bench/lib/llm-child.js`
 * with LLM_CHILD_ENV (JSON env) and LLM_CHILD_CALLS; prints one JSON line of the links that answered.
 */
import { buildGateway, llmConfig } from './llm-harness.js';

const env = JSON.parse(process.env.LLM_CHILD_ENV!) as Record<string, string>;
const calls = Number(process.env.LLM_CHILD_CALLS ?? '10');
const { gateway, close } = buildGateway(llmConfig(env.DATABASE_URL!, env));
const results = await Promise.all(
  Array.from({ length: calls }, (_, i) => gateway.complete({ scope: { keyId: 'k-shared' }, purpose: 'test', system: 'Summarise.', inputs: [{ id: `c${i}`, text: 'Bitcoin rose today.' }], maxTokens: 50 })),
);
process.stdout.write(`${JSON.stringify(results.map((r) => r.link))}\n`);
await close();
