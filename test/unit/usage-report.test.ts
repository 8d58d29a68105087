import type { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { byBucket, nanoUsdToUsd, summarize } from '../../src/usage/usage-report.js';
import { resolveRange } from '../../src/usage/usage.dto.js';
import type { UsageRow } from '../../src/usage/usage.repository.js';

const row = (p: Partial<UsageRow>): UsageRow => ({ bucket: '2026-01-01T00:00:00Z', keyId: 'k', metric: 'http_requests', dimension: 'GET /events 2xx', quantity: 1, costNanoUsd: 0n, ...p });

describe('usage report', () => {
  it('prints nano-USD as an exact decimal USD string', () => {
    expect(nanoUsdToUsd(0n)).toBe('0.000000000');
    expect(nanoUsdToUsd(1n)).toBe('0.000000001');
    expect(nanoUsdToUsd(1_234_567_890_123n)).toBe('1234.567890123');
    // Past 2^53 nano-USD a float would round; bigint does not.
    expect(nanoUsdToUsd(9_007_199_254_740_993n)).toBe('9007199.254740993');
  });

  it('splits request dimensions into route and status class, and sums cost per LLM link', () => {
    const s = summarize([
      row({ dimension: 'GET /events/:id 4xx', quantity: 2 }),
      row({ dimension: 'GET unmatched 4xx', quantity: 1 }),
      row({ metric: 'search_queries', dimension: 'keyword', quantity: 3 }),
      row({ metric: 'llm_calls', dimension: 'local', quantity: 1 }),
      row({ metric: 'llm_tokens_in', dimension: 'local', quantity: 100, costNanoUsd: 300n }),
      row({ metric: 'llm_tokens_out', dimension: 'local', quantity: 10, costNanoUsd: 150n }),
      row({ metric: 'embedding_tokens', dimension: 'openai', quantity: 50, costNanoUsd: 1n }),
    ]);
    expect(s.requests).toEqual([
      { route: 'GET /events/:id', statusClass: '4xx', count: 2 },
      { route: 'GET unmatched', statusClass: '4xx', count: 1 },
    ]);
    expect(s.searches).toEqual([{ mode: 'keyword', count: 3 }]);
    expect(s.llm).toEqual([{ link: 'local', calls: 1, tokensIn: 100, tokensOut: 10, costUsd: '0.000000450' }]);
    expect(s.embeddingTokens).toEqual([{ link: 'openai', tokens: 50, costUsd: '0.000000001' }]);
    expect(s.costUsd).toBe('0.000000451');
  });

  it('groups by bucket in row order', () => {
    const b = byBucket([row({ bucket: 'a' }), row({ bucket: 'a' }), row({ bucket: 'b' })]);
    expect(b.map((x) => [x.start, x.requests[0]!.count])).toEqual([['a', 2], ['b', 1]]);
  });

  it('resolves ranges: defaults, rounding down, and 400s naming the parameter', () => {
    const now = Date.parse('2026-01-02T10:30:00Z');
    const r = resolveRange({}, now);
    expect(r).toEqual({ granularity: 'hour', from: new Date('2026-01-01T10:00:00Z'), to: new Date(now) });
    const messageOf = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return ((err as BadRequestException).getResponse() as { message: string[] }).message.join(' ');
      }
      return 'no error';
    };
    expect(messageOf(() => resolveRange({ from: new Date(now), to: new Date(now - 1) }, now))).toMatch(/^to must be after from/);
    expect(messageOf(() => resolveRange({ granularity: 'minute', from: new Date(now - 2 * 86_400_000) }, now))).toMatch(/^from: the range is too long/);
  });
});
