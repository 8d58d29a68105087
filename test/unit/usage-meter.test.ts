import { describe, expect, it } from 'vitest';
import type { SiftConfig } from '../../libs/config/index.js';
import type { SchemaStateService } from '../../src/core/schema-state.service.js';
import { MAX_PENDING_COUNTERS, UsageMeter } from '../../src/usage/usage-meter.js';
import type { UsageIncrement, UsageRepository } from '../../src/usage/usage.repository.js';

/** A repository stand-in that records each batch and can be told to fail (the e2e test uses Postgres). */
class RecordingRepo {
  batches: UsageIncrement[][] = [];
  failNext = 0;
  async add(batch: UsageIncrement[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection refused');
    }
    this.batches.push(batch.map((b) => ({ ...b })));
  }
}

function meter(cfg: Partial<SiftConfig> = {}) {
  const repo = new RecordingRepo();
  const m = new UsageMeter(repo as unknown as UsageRepository, { ready: Promise.resolve() } as SchemaStateService, { USAGE_METERING: true, USAGE_FLUSH_INTERVAL: 60_000, ...cfg } as SiftConfig);
  m.now = () => Date.parse('2026-01-01T10:00:30Z');
  return { m, repo };
}

describe('UsageMeter', () => {
  it('sums records per key, minute, metric and dimension in memory and writes them in one batch', async () => {
    const { m, repo } = meter();
    for (let i = 0; i < 100; i++) m.record({ keyId: 'k1', metric: 'http_requests', dimension: 'GET /events 2xx', quantity: 1 });
    m.record({ keyId: null, metric: 'http_requests', dimension: 'GET /events 2xx', quantity: 1 });
    m.record({ keyId: 'k1', metric: 'llm_tokens_in', dimension: 'local', quantity: 10, costNanoUsd: 30 });
    m.record({ keyId: 'k1', metric: 'llm_tokens_in', dimension: 'local', quantity: 5, costNanoUsd: 15 });
    expect(repo.batches).toHaveLength(0);
    await m.flush();
    expect(repo.batches).toHaveLength(1);
    const byId = Object.fromEntries(repo.batches[0]!.map((b) => [`${b.keyId} ${b.metric} ${b.dimension}`, [b.quantity, b.costNanoUsd, new Date(b.minuteMs).toISOString()]]));
    expect(byId).toEqual({
      'k1 http_requests GET /events 2xx': [100, 0n, '2026-01-01T10:00:00.000Z'],
      'null http_requests GET /events 2xx': [1, 0n, '2026-01-01T10:00:00.000Z'],
      'k1 llm_tokens_in local': [15, 45n, '2026-01-01T10:00:00.000Z'],
    });
    await m.flush(); // nothing pending: no statement
    expect(repo.batches).toHaveLength(1);
  });

  it('keeps the counters of a failed flush and writes them, merged with newer ones, at the next', async () => {
    const { m, repo } = meter();
    m.record({ keyId: 'k', metric: 'search_queries', dimension: 'hybrid', quantity: 2 });
    repo.failNext = 1;
    await expect(m.flush()).rejects.toThrow('connection refused');
    expect(m.pendingCount).toBe(1);
    m.record({ keyId: 'k', metric: 'search_queries', dimension: 'hybrid', quantity: 3 });
    await m.flush();
    expect(repo.batches.map((b) => b.map((x) => x.quantity))).toEqual([[5]]);
    expect(m.pendingCount).toBe(0);
  });

  it('bounds what it holds while the database is away: new counters past the cap are dropped, existing ones still add up', () => {
    const { m } = meter();
    for (let i = 0; i < MAX_PENDING_COUNTERS + 10; i++) m.record({ keyId: 'k', metric: 'http_requests', dimension: `GET /r${i} 2xx`, quantity: 1 });
    expect(m.pendingCount).toBe(MAX_PENDING_COUNTERS);
    m.record({ keyId: 'k', metric: 'http_requests', dimension: 'GET /r0 2xx', quantity: 1 });
    expect(m.pendingCount).toBe(MAX_PENDING_COUNTERS);
  });

  it('ignores records that would poison a batch, and records nothing when metering is off', async () => {
    const { m, repo } = meter();
    m.record({ keyId: 'k', metric: 'llm_calls', dimension: 'x', quantity: Number.NaN });
    m.record({ keyId: 'k', metric: 'llm_calls', dimension: 'x', quantity: -1 });
    m.record({ keyId: 'k', metric: 'llm_calls', dimension: 'x', quantity: Infinity });
    expect(m.pendingCount).toBe(0);
    const off = meter({ USAGE_METERING: false });
    off.m.record({ keyId: 'k', metric: 'llm_calls', dimension: 'x', quantity: 1 });
    expect(off.m.pendingCount).toBe(0);
    await off.m.close();
    expect(off.repo.batches).toHaveLength(0);
    expect(repo.batches).toHaveLength(0);
  });

  it('close() is the last flush, retried a few times', async () => {
    const { m, repo } = meter();
    m.record({ keyId: 'k', metric: 'llm_calls', dimension: 'x', quantity: 1 });
    repo.failNext = 2;
    await m.close();
    expect(repo.batches.map((b) => b.length)).toEqual([1]);
  });
});
