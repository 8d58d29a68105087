import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../libs/config/vars/llm.js';
import { fullJitterMs, RetryBudget } from '../../libs/resilience/retry-budget.js';
import { signWebhook } from '../../src/alerts/alert-webhook.js';
import { extractiveSummary } from '../../src/llm/extractive.js';
import { worstCasePromptTokens } from '../../src/llm/llm.gateway.js';

describe('retry budget', () => {
  it('allows retries up to the ratio of calls in the window, then again once old calls slide out', () => {
    let now = 0;
    const b = new RetryBudget({ ratio: 0.1, windowMs: 1000, minRetries: 1 }, () => now);
    for (let i = 0; i < 30; i++) b.recordCall();
    const granted = Array.from({ length: 10 }, () => b.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(3);
    now = 1001;
    b.recordCall();
    expect(b.tryRetry()).toBe(true); // the minimum of one
    expect(b.tryRetry()).toBe(false);
  });
  it('full jitter stays within [0, min(cap, base·2^n)]', () => {
    expect(fullJitterMs(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(fullJitterMs(10, 100, 500, () => 0.5)).toBe(250);
    expect(fullJitterMs(0, 100, 500, () => 0)).toBe(0);
  });
});

describe('prices', () => {
  it('parses USD per 1M tokens into exact nano-USD per token', () => {
    expect(parsePrice('0.150')).toBe(150);
    expect(parsePrice('2.5')).toBe(2500);
    expect(parsePrice(10)).toBe(10_000);
    expect(parsePrice('0.0001')).toMatch(/3 decimals/);
    expect(parsePrice(-1)).toMatch(/negative/);
  });
});

describe('extractive tier', () => {
  it('is deterministic and cites the texts it used', () => {
    const texts = [
      { id: 'a', text: 'Bitcoin rose after the ETF approval. Nothing else happened.' },
      { id: 'b', text: 'The ETF approval lifted bitcoin and ether prices.' },
    ];
    const one = extractiveSummary(texts);
    expect(one).toEqual(extractiveSummary(texts));
    expect(one.citations.length).toBeGreaterThan(0);
    for (const id of one.citations) expect(one.text).toContain(`[${id}]`);
    expect(extractiveSummary([])).toEqual({ text: '', citations: [] });
  });
});

describe('worst-case prompt tokens', () => {
  it('is at least the UTF-8 byte count (an upper bound for byte-level BPE)', () => {
    const content = 'héllo 🌍'.repeat(10);
    expect(worstCasePromptTokens([{ role: 'user', content }])).toBeGreaterThanOrEqual(Buffer.byteLength(content));
  });
});

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>"', () => {
    const sig = signWebhook('secret-secret-secret', '{"a":1}', 1700000000);
    expect(sig).toBe(`t=1700000000,v1=${createHmac('sha256', 'secret-secret-secret').update('1700000000.{"a":1}').digest('hex')}`);
  });
});
