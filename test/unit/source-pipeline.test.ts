import { describe, expect, it } from 'vitest';
import type { PipelineStore } from '../../src/relay/source-pipeline.js';
import { SourcePipeline } from '../../src/relay/source-pipeline.js';
import { fakeAdapter, HandStore, until, type Call } from './relay-fakes.js';

const adapter = fakeAdapter();

function pipeline(store: HandStore, announced: string[]) {
  const p = new SourcePipeline(adapter, store as unknown as PipelineStore, {
    batchSize: 2,
    lingerMs: 1,
    bufferMax: 100,
    cursorOverlapMs: 0,
    writesInFlight: 2,
    connection: { backoffBaseMs: 10, backoffMaxMs: 10, healthyResetMs: 1000, watchdogMs: 1000 },
    onStored: (evs) => void announced.push(...evs.map((e) => e.sourceEventId)),
  });
  // The stored cursor is known (as after a first batch): writes may overlap.
  (p as unknown as { lastStoredCursor?: string }).lastStoredCursor = '0';
  const feed = (...ns: number[]) => ns.forEach((n) => (p as unknown as { onFrame(b: Buffer): void }).onFrame(Buffer.from(String(n))));
  return { p, feed };
}

/** Events 1–4 fed, both batches (e1 e2, e3 e4) handed to writes that are still pending. */
async function twoWritesInFlight() {
  const store = new HandStore();
  const announced: string[] = [];
  const { p, feed } = pipeline(store, announced);
  feed(1, 2, 3, 4);
  await until('two writes in flight', () => store.calls.length === 2);
  const [first, second] = store.calls as [Call, Call];
  return { store, announced, p, first, second };
}

describe('SourcePipeline: two writes in flight', () => {
  it('overlaps writes, chains each cursor to the batch before, and handles results in order', async () => {
    const store = new HandStore();
    const announced: string[] = [];
    const { p, feed } = pipeline(store, announced);
    feed(1, 2, 3, 4, 5, 6);
    await until('two writes in flight', () => store.calls.length === 2);
    expect(store.calls.map((c) => [c.ids, c.cursor, c.after])).toEqual([
      [['e1', 'e2'], '2', undefined],
      [['e3', 'e4'], '4', '2'],
    ]);
    // Both commit (in order, as the commit-order lock makes them); the third batch starts only
    // when a write slot frees up.
    store.commit(store.calls[0]!);
    store.commit(store.calls[1]!);
    await until('third write', () => store.calls.length === 3);
    expect(store.calls[2]).toMatchObject({ ids: ['e5', 'e6'], cursor: '6' });
    store.commit(store.calls[2]!);
    await until('all acknowledged', () => p.stats.stored === 6);
    expect(announced).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    expect(p.lastStoredCursor).toBe('6');
    expect(store.cursor).toBe('6');
    expect(p.buffered).toBe(0);
  });

  it('when the first write fails, the second is refused (out of turn); both are retried in order: nothing lost, nothing twice', async () => {
    const { store, announced, p, first, second } = await twoWritesInFlight();
    first.settle(new Error('connection reset'));
    store.commit(second); // refused: the batch before it did not commit
    expect(store.rows.size).toBe(0);
    // Retry, one write at a time while failing: the failed batch first, unchained, then the next.
    await until('retry of the first batch', () => store.calls.length === 3);
    expect(store.calls[2]).toMatchObject({ ids: ['e1', 'e2'], cursor: '2', after: undefined });
    expect(p.lastWriteError).toBe('connection reset');
    store.commit(store.calls[2]!);
    await until('retry of the second batch', () => store.calls.length === 4);
    expect(store.calls[3]).toMatchObject({ ids: ['e3', 'e4'], cursor: '4' });
    store.commit(store.calls[3]!);
    await until('acknowledged', () => p.buffered === 0);
    expect(store.cursor).toBe('4');
    expect([...store.rows]).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(announced).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(p.stats).toMatchObject({ received: 4, stored: 4, duplicates: 0 });
  });

  it('a batch that reaches Postgres before the one ahead of it is sent again after it, not counted as a failure', async () => {
    const { store, announced, p, first, second } = await twoWritesInFlight();
    store.commit(second); // overtook the first: refused
    store.commit(first);
    await until('resent', () => store.calls.length === 3);
    expect(store.calls[2]).toMatchObject({ ids: ['e3', 'e4'], cursor: '4' });
    store.commit(store.calls[2]!);
    await until('acknowledged', () => p.buffered === 0);
    // Stored, and announced, in the order they were read.
    expect([...store.rows]).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(announced).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(store.cursor).toBe('4');
    expect(p.stats).toMatchObject({ stored: 4, duplicates: 0, resent: 1 });
    expect(p.lastWriteError).toBeUndefined();
  });
});
