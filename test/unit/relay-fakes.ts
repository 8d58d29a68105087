import type { SiftEvent, StoredEvent } from '../../libs/contracts/event.js';
import { OUT_OF_TURN } from '../../src/events/events.repository.js';
import type { FrameResult, SourceAdapter } from '../../src/relay/sources/source-adapter.js';

/** The event a frame `n` stands for: id `e<n>`, cursor `<n>`. */
export const fakeEvent = (n: number | string, over: Partial<SiftEvent> = {}): SiftEvent => ({
  source: 'fake',
  sourceEventId: `e${n}`,
  author: 'a',
  text: `t${n}`,
  entities: [],
  createdAt: new Date(),
  cursor: String(n),
  ...over,
});

/**
 * Frames are cursor numbers as text; each is one event whose id and cursor are that number.
 * `skip:<n>` is a skipped frame with cursor n, `bad` a frame the adapter refuses. Cursors are
 * seconds since the epoch, so `cursorTime` bounds gaps.
 */
export const fakeAdapter = (over: Partial<SourceAdapter> = {}): SourceAdapter => ({
  name: 'fake',
  resumable: true,
  connectUrl: () => 'ws://127.0.0.1:1',
  parse: (frame: Buffer): FrameResult => {
    const s = frame.toString();
    if (s === 'bad') return { kind: 'bad', reason: 'not_json', detail: 'not json' };
    if (s.startsWith('skip:')) return { kind: 'skip', cursor: s.slice(5) };
    return { kind: 'event', event: fakeEvent(s) };
  },
  cursorTime: () => undefined,
  rewind: (c: string) => c,
  ...over,
});

export interface Call {
  ids: string[];
  cursor?: string;
  after?: string;
  settle: (r: StoredEvent[] | Error) => void;
}

/**
 * A store whose writes the test settles by hand, modelling the guarantees of the real one: rows
 * are unique by id, and a chained write (`after` given) is refused with OUT_OF_TURN, storing
 * nothing, unless the stored cursor has reached `after` when it runs.
 */
export class HandStore {
  calls: Call[] = [];
  rows = new Set<string>();
  cursor = '0';
  quarantined: string[] = [];

  writeBatchAfter(_source: string, events: SiftEvent[], cursor: string | undefined, after: string | undefined): Promise<StoredEvent[]> {
    return new Promise((resolve, reject) => {
      const call: Call = {
        ids: events.map((e) => e.sourceEventId),
        cursor,
        after,
        settle: (r) => (r instanceof Error ? reject(r) : resolve(r)),
      };
      this.calls.push(call);
    });
  }

  /** Settles a pending write the way Postgres would: out of turn, or committed. */
  commit(call: Call) {
    if (call.after !== undefined && Number(this.cursor) < Number(call.after)) {
      return call.settle(Object.assign(new Error('batch out of turn'), { code: OUT_OF_TURN }));
    }
    const stored: StoredEvent[] = [];
    for (const id of call.ids) {
      if (this.rows.has(id)) continue;
      this.rows.add(id);
      stored.push({ id, source: 'fake', sourceEventId: id, author: 'a', text: '', entities: [], createdAt: '', ingestedAt: '' });
    }
    if (call.cursor !== undefined) this.cursor = call.cursor;
    call.settle(stored);
  }

  /** Row-by-row writes (after a batch was refused for its content) commit at once. */
  async writeBatch(source: string, events: SiftEvent[], cursor: string | undefined): Promise<StoredEvent[]> {
    const p = this.writeBatchAfter(source, events, cursor, undefined);
    this.commit(this.calls.at(-1)!);
    return p;
  }

  quarantine = async (_source: string, frames: { detail: string }[]) => void this.quarantined.push(...frames.map((f) => f.detail));
}

const tick = () => new Promise((r) => setTimeout(r, 5));
export const until = async (what: string, cond: () => boolean) => {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
};
