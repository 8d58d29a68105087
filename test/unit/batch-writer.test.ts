import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { Announcer } from '../../src/relay/announcer.js';
import { BatchWriter, type BatchStore } from '../../src/relay/batch-writer.js';
import { Intake } from '../../src/relay/intake.js';
import { newPipelineStats } from '../../src/relay/pipeline-stats.js';
import { ResumeTracker } from '../../src/relay/resume-tracker.js';
import { fakeAdapter, HandStore, until } from './relay-fakes.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** A real intake feeding a real writer; only the store (Postgres) is faked. */
function setup(store: BatchStore, o: { batchSize: number; lingerMs: number; writesInFlight?: number }, stored?: string) {
  const adapter = fakeAdapter();
  const stats = newPipelineStats();
  const announced: string[] = [];
  const resume = new ResumeTracker(adapter, { recordGap: async () => undefined }, stats, 0, quiet);
  let writer!: BatchWriter;
  const intake = new Intake(adapter, resume, { pause: () => undefined, resume: () => undefined }, stats, 100, () => writer.scheduleFlush());
  const announcer = new Announcer((evs: StoredEvent[]) => void announced.push(...evs.map((e) => e.sourceEventId)), quiet);
  writer = new BatchWriter(adapter, store, intake, announcer, stats, o, quiet);
  writer.lastStoredCursor = stored;
  const feed = (...frames: (number | string)[]) => frames.forEach((f) => intake.onFrame(Buffer.from(String(f))));
  return { writer, intake, stats, announced, feed };
}

describe('BatchWriter', () => {
  it('writes a full batch at once and a partial one when its linger is over', async () => {
    const store = new HandStore();
    const { feed, announced, intake } = setup(store, { batchSize: 3, lingerMs: 30 });
    feed(1, 2, 3, 4);
    expect(store.calls.map((c) => c.ids)).toEqual([['e1', 'e2', 'e3']]);
    store.commit(store.calls[0]!);
    // e4 arrived during the first write: it waits out the rest of the linger, then goes alone.
    await until('the partial batch', () => store.calls.length === 2);
    expect(store.calls[1]!.ids).toEqual(['e4']);
    store.commit(store.calls[1]!);
    await until('announced', () => announced.length === 4);
    expect(intake.length).toBe(0);
  });

  it('has at most writesInFlight batches in flight, and only one before the first cursor is stored', async () => {
    const store = new HandStore();
    const { feed } = setup(store, { batchSize: 1, lingerMs: 1, writesInFlight: 2 });
    feed(1, 2, 3);
    await until('first write', () => store.calls.length === 1);
    store.commit(store.calls[0]!);
    await until('two in flight', () => store.calls.length === 3);
    // The second chains to the first, the third to the second.
    expect(store.calls.slice(1).map((c) => [c.cursor, c.after])).toEqual([
      ['2', undefined],
      ['3', '2'],
    ]);
  });

  it('never moves the cursor back when a batch holds only replayed (older) events, and counts duplicates', async () => {
    const store = new HandStore();
    store.rows.add('e3');
    const { feed, stats, writer } = setup(store, { batchSize: 2, lingerMs: 1 }, '9');
    feed(3, 4);
    expect(store.calls[0]).toMatchObject({ ids: ['e3', 'e4'], cursor: '9' });
    store.commit(store.calls[0]!);
    await until('acknowledged', () => stats.stored === 1);
    expect(stats.duplicates).toBe(1);
    expect(writer.lastStoredCursor).toBe('9');
  });

  it('writes a batch Postgres refuses for its content row by row and quarantines the bad rows', async () => {
    const refused = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const written: string[][] = [];
    const quarantined: string[] = [];
    const store: BatchStore = {
      writeBatchAfter: async (_s, events, cursor) => {
        if (events.length > 1) throw refused;
        written.push(events.length ? events.map((e) => e.sourceEventId) : [`cursor ${cursor}`]);
        return [];
      },
      writeBatch: async (_s, [e]) => {
        if (e!.sourceEventId === 'e2') throw refused;
        return [{ id: e!.sourceEventId, source: 'fake', sourceEventId: e!.sourceEventId, author: 'a', text: '', entities: [], createdAt: '', ingestedAt: '' }];
      },
      quarantine: async (_s, frames) => void quarantined.push(...frames.map((f) => f.detail)),
    };
    const { feed, stats, announced } = setup(store, { batchSize: 3, lingerMs: 1 });
    feed(1, 2, 3);
    await until('acknowledged', () => announced.length === 2);
    expect(announced).toEqual(['e1', 'e3']);
    expect(quarantined).toEqual(['not storable: invalid byte sequence']);
    // The cursor still moves past the batch, in a write of its own.
    expect(written).toEqual([['cursor 3']]);
    expect(stats).toMatchObject({ stored: 2, quarantined: 1, duplicates: 0 });
  });

  it('retries a failed write with backoff, one write at a time, and flushes what is left on stop', async () => {
    let failures = 2;
    const batches: string[][] = [];
    const store: BatchStore = {
      writeBatchAfter: async (_s, events) => {
        if (failures-- > 0) throw new Error('connection refused');
        batches.push(events.map((e) => e.sourceEventId));
        return [];
      },
      writeBatch: async () => [],
      quarantine: async () => undefined,
    };
    const { feed, writer, intake } = setup(store, { batchSize: 2, lingerMs: 1, writesInFlight: 2 }, '0');
    feed(1, 2, 3);
    await until('first failure', () => writer.lastWriteError === 'connection refused');
    writer.stop();
    await writer.flushRemaining();
    expect(batches).toEqual([['e1', 'e2'], ['e3']]);
    expect(intake.length).toBe(0);
    expect(writer.lastWriteError).toBeUndefined();
  });
});
