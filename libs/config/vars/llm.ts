import { z } from 'zod';
import { bool, int, url } from '../fields.js';
import { spec } from '../spec.js';

/** Secret vars an LLM link may name as its API key (a link never carries the key itself). */
export const LLM_KEY_VARS = ['LLM_API_KEY', 'LLM_API_KEY_2', 'LLM_API_KEY_3'] as const;
export type LlmKeyVar = (typeof LLM_KEY_VARS)[number];

/** One parsed link of LLM_CHAIN. Prices are integer nano-USD per token (= USD per 1M × 1000). */
export type LlmLinkConfig = {
  kind: 'openai';
  name: string;
  baseUrl: string;
  model: string;
  apiKeyVar?: LlmKeyVar;
  timeoutMs: number;
  maxTokens: number;
  nanoUsdPerTokenIn: number;
  nanoUsdPerTokenOut: number;
};

const NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;
// At most three decimals per 1M tokens, so cost = tokens × price × 1000 is a whole nano-USD.
const PRICE = /^\d{1,6}(\.\d{1,3})?$/;

/** Parses a price per 1M tokens into integer nano-USD per token, or says why not. */
export function parsePrice(v: unknown): number | string {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !PRICE.test(s.trim())) {
    return typeof v === 'number' && v < 0 ? 'must not be negative' : 'must be a non-negative USD amount per 1M tokens with at most 3 decimals';
  }
  const [whole, frac = ''] = s.trim().split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

/**
 * Parses `LLM_CHAIN`: a JSON array of links tried in order. The `extractive` tier (no model) is
 * always last and is appended by the gateway; listing it is allowed only as the last entry.
 */
export const llmChain = () =>
  z.string().transform((s, ctx): LlmLinkConfig[] => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (!s.trim()) return [];
    let raw: unknown;
    try {
      raw = JSON.parse(s);
    } catch {
      bad('must be a JSON array of links, e.g. [{"name":"local","baseUrl":"http://127.0.0.1:8080","model":"llama3"}]');
      return [];
    }
    if (!Array.isArray(raw)) {
      bad('must be a JSON array');
      return [];
    }
    const out: LlmLinkConfig[] = [];
    const seen = new Set<string>();
    raw.forEach((l: Record<string, unknown>, i) => {
      const at = `link ${i + 1}${typeof l?.name === 'string' ? ` "${l.name}"` : ''}`;
      if (typeof l !== 'object' || l === null) return bad(`${at}: must be an object`);
      const kind = l.kind ?? 'openai';
      if (kind === 'extractive') {
        if (i !== raw.length - 1) bad(`${at}: "extractive" can only be the last link`);
        return;
      }
      if (kind !== 'openai') return bad(`${at}: unknown kind "${String(kind)}" (expected openai or extractive)`);
      if (typeof l.name !== 'string' || !NAME.test(l.name) || l.name === 'extractive') return bad(`${at}: name must be 1-40 lower-case letters, digits, . _ - and not "extractive"`);
      if (seen.has(l.name)) return bad(`${at}: listed twice`);
      seen.add(l.name);
      let baseUrl: string;
      try {
        const u = new URL(String(l.baseUrl));
        if (!['http:', 'https:'].includes(u.protocol)) throw new Error();
        baseUrl = u.toString();
      } catch {
        return bad(`${at}: baseUrl must be an http(s) URL`);
      }
      if (typeof l.model !== 'string' || !l.model.trim()) return bad(`${at}: model is required`);
      if (l.apiKeyVar !== undefined && !(LLM_KEY_VARS as readonly unknown[]).includes(l.apiKeyVar)) {
        return bad(`${at}: apiKeyVar must be one of ${LLM_KEY_VARS.join(', ')}`);
      }
      const num = (field: string, def: number, min: number, max: number) => {
        const v = l[field] ?? def;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
          bad(`${at}: ${field} must be a whole number between ${min} and ${max}`);
          return def;
        }
        return v;
      };
      const price = (field: string) => {
        const p = parsePrice(l[field] ?? '0');
        if (typeof p === 'string') bad(`${at}: ${field} ${p}`);
        return typeof p === 'number' ? p : 0;
      };
      out.push({
        kind: 'openai',
        name: l.name,
        baseUrl,
        model: l.model.trim(),
        ...(l.apiKeyVar ? { apiKeyVar: l.apiKeyVar as LlmKeyVar } : {}),
        timeoutMs: num('timeoutMs', 30_000, 100, 600_000),
        maxTokens: num('maxTokens', 512, 1, 200_000),
        nanoUsdPerTokenIn: price('priceInPer1M'),
        nanoUsdPerTokenOut: price('priceOutPer1M'),
      });
    });
    return out;
  });

/** A USD amount (≤ 3 decimals, like prices) as integer nano-USD; 0 = no cap. */
const usd = () =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const p = parsePrice(s);
      if (typeof p === 'string') {
        ctx.addIssue({ code: 'custom', message: p.replace('per 1M tokens ', '') });
        return 0;
      }
      return p * 1_000_000; // milli-USD → nano-USD
    });

const thresholds = () =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const list = s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
      if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 100)) ctx.addIssue({ code: 'custom', message: 'must be a comma list of whole percentages 1-100' });
      return [...new Set(list)].sort((a, b) => a - b);
    });

const roles = ['api', 'worker'] as const;
const n = (min: number, max: number, def: string, description: string) => spec({ schema: int(min, max), roles, default: def, description });

/** The LLM gateway: chain, resilience and economic circuit breakers (api + worker roles). */
export const LLM_VARS = {
  LLM_CHAIN: spec({
    schema: llmChain(),
    roles,
    default: '[]',
    description:
      'JSON array of OpenAI-compatible chat-completions links tried in order: {"name","baseUrl","model","apiKeyVar"?,"timeoutMs"?,"maxTokens"?,"priceInPer1M"?,"priceOutPer1M"?} (prices in USD per 1M tokens, ≤ 3 decimals). The no-model `extractive` tier always answers last; `[]` uses it alone.',
  }),
  LLM_API_KEY: spec({ schema: z.string().min(1), roles, secret: true, description: 'API key a link names with "apiKeyVar":"LLM_API_KEY" (sent as Bearer).' }),
  LLM_API_KEY_2: spec({ schema: z.string().min(1), roles, secret: true, description: 'Second API key slot for LLM_CHAIN links.' }),
  LLM_API_KEY_3: spec({ schema: z.string().min(1), roles, secret: true, description: 'Third API key slot for LLM_CHAIN links.' }),
  LLM_MAX_RETRIES: n(0, 10, '2', 'Retries per link per call (full-jitter backoff, Retry-After honoured), within the retry budget.'),
  LLM_RETRY_RATIO: n(0, 100, '10', 'Retry budget: retries may be at most this percentage of calls per link over LLM_RETRY_WINDOW_MS.'),
  LLM_RETRY_WINDOW_MS: n(1000, 3_600_000, '60000', 'Sliding window of the retry budget.'),
  LLM_BACKOFF_BASE_MS: n(1, 60_000, '200', 'Base of the full-jitter retry backoff.'),
  LLM_BACKOFF_MAX_MS: n(1, 600_000, '5000', 'Longest wait before one retry (also caps how long a Retry-After is honoured within a call).'),
  LLM_BREAKER_FAILURES: n(1, 1000, '5', 'Consecutive failures (errors, timeouts, slow answers) that open a link\'s breaker.'),
  LLM_BREAKER_OPEN_MS: n(100, 86_400_000, '30000', 'How long an open breaker skips its link before one half-open probe.'),
  LLM_BREAKER_SLOW_MS: n(0, 600_000, '0', 'A successful answer slower than this counts as a failure (0: off).'),
  LLM_BUDGET_USD_PER_HOUR: spec({ schema: usd(), roles, default: '0', description: 'Global LLM spend cap per clock hour, USD (0: none). Worst-case cost is reserved before each call.' }),
  LLM_BUDGET_USD_PER_DAY: spec({ schema: usd(), roles, default: '0', description: 'Global LLM spend cap per UTC day, USD (0: none).' }),
  LLM_KEY_USD_PER_MIN: spec({ schema: usd(), roles, default: '0', description: 'LLM spend cap per API key per clock minute, USD (0: none).' }),
  LLM_KEY_USD_PER_DAY: spec({ schema: usd(), roles, default: '0', description: 'LLM spend cap per API key per UTC day, USD (0: none).' }),
  LLM_KEY_TOKENS_PER_MIN: n(0, 1_000_000_000, '0', 'LLM tokens (in + out) per API key per clock minute (0: none).'),
  LLM_KEY_TOKENS_PER_DAY: n(0, 1_000_000_000_000, '0', 'LLM tokens (in + out) per API key per UTC day (0: none).'),
  LLM_AGENT_USD_PER_DAY: spec({ schema: usd(), roles, default: '0', description: 'LLM spend cap per agent per UTC day, USD (0: none).' }),
  LLM_AGENT_TOKENS_PER_DAY: n(0, 1_000_000_000_000, '0', 'LLM tokens per agent per UTC day (0: none).'),
  LLM_BUDGET_ALERT_THRESHOLDS: spec({ schema: thresholds(), roles, default: '50,80,100', description: 'Percentages of a budget whose crossing raises one alert per budget period (across all replicas).' }),
  LLM_BUDGET_PROJECTION: spec({ schema: bool(), roles, default: 'true', description: 'Also close paid links for a scope when its spend so far in the hour/day, extrapolated to the period end, exceeds the cap (checked after 10 % of the period).' }),
  LLM_RESERVATION_TTL_MS: n(1000, 3_600_000, '120000', 'A reservation not settled within this time (process killed mid-call) expires and frees its budget.'),
};

export const ALERT_VARS = {
  ALERT_WEBHOOK_URL: spec({ schema: url(['http', 'https']), roles: 'all', description: 'POSTed every alert as JSON, signed with ALERT_WEBHOOK_SECRET (X-Sift-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">).' }),
  ALERT_WEBHOOK_SECRET: spec({ schema: z.string().min(16), roles: 'all', secret: true, description: 'HMAC key for the alert webhook signature (at least 16 characters).' }),
  ALERT_WEBHOOK_MAX_ATTEMPTS: spec({ schema: int(1, 20), roles: 'all', default: '5', description: 'Webhook attempts per alert (exponential backoff) before it is marked dead-lettered in the alerts table.' }),
};
