import { describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { SlowConsumers } from '../../src/api/realtime/clients.js';
import { FanOut } from '../../src/api/realtime/fan-out.js';
import { SubscriptionRegistry } from '../../src/api/realtime/subscription-registry.js';
import { BatchVectors } from '../../src/embeddings/batch-vectors.js';
import type { EmbeddingsService } from '../../src/embeddings/embeddings.service.js';
import { fakeRooms, FakeSocket, realtimeConfig, stored } from './realtime-fakes.js';

const noEmbeddings = { active: undefined } as unknown as EmbeddingsService;

function setup() {
  const cfg = realtimeConfig(); // SOCKET_MAX_BUFFERED_PACKETS=10
  const registry = new SubscriptionRegistry(noEmbeddings);
  const fanOut = new FanOut(registry, noEmbeddings, new BatchVectors(noEmbeddings), new SlowConsumers(cfg));
  const client = async (filters: unknown[], replaying = false) => {
    const socket = new FakeSocket();
    const state = registry.connect(socket.asSocket, replaying);
    await registry.addInitial(state, filters);
    return { socket, state };
  };
  return { fanOut, client, ...fakeRooms() };
}

describe('FanOut', () => {
  it('after a replay, drops live events the replay already sent (the bus lagged the commit), then forgets the mark', async () => {
    const { fanOut, client, rooms, sent } = setup();
    const late = await client([{}]);
    late.state.replayedUpTo = 5n; // the replay read ids up to 5 from Postgres before their batch came over the bus
    const live = await client([{}]);
    await fanOut.deliver(rooms, [stored(4), stored(5), stored(6)]);
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(
      expect.arrayContaining([
        { rooms: [live.socket.id], body: JSON.stringify([stored(4), stored(5), stored(6)]) },
        { rooms: [late.socket.id], body: JSON.stringify([stored(6)]) },
      ]),
    );
    await fanOut.deliver(rooms, [stored(7)]);
    expect(late.state.replayedUpTo).toBeUndefined();
    expect(sent.at(-1)).toEqual({ rooms: [late.socket.id, live.socket.id], body: JSON.stringify([stored(7)]) });
  });

  it('emits one packet per distinct list of events, to the rooms of every client that gets it', async () => {
    const { fanOut, client, rooms, sent } = setup();
    const a = await client([{}]);
    const b = await client([{}]);
    const c = await client([{ entity: '$btc' }]);
    const batch = [stored(1, { entities: ['$btc'] }), stored(2)];
    await fanOut.deliver(rooms, batch);
    expect(sent).toEqual([
      { rooms: [a.socket.id, b.socket.id], body: JSON.stringify(batch) },
      { rooms: [c.socket.id], body: JSON.stringify([batch[0]]) },
    ]);
  });

  it('forwards the bus\'s JSON text as is to those who get the whole batch', async () => {
    const { fanOut, client, rooms, sent } = setup();
    await client([{}]);
    const json = '[{"id":"1","as":"it came over redis"}]';
    await fanOut.deliver(rooms, [stored(1)], json);
    expect(sent[0]!.body).toBe(json);
  });

  it('serialises each event once per batch, however many lists it is in', async () => {
    const { fanOut, client, rooms, sent } = setup();
    await client([{ entity: '$x' }]);
    await client([{ author: 'bob' }]);
    const e = stored(1, { author: 'bob', entities: ['$x'] });
    const batch = [e, stored(2, { author: 'bob' }), stored(3, { entities: ['$x'] }), stored(4)];
    const stringify = vi.spyOn(JSON, 'stringify');
    await fanOut.deliver(rooms, batch);
    const ofE = stringify.mock.calls.filter(([v]) => v === e).length;
    stringify.mockRestore();
    // e is in both lists ([1,3] and [1,2]) but serialised once.
    expect(sent.map((s) => JSON.parse(s.body).map((x: StoredEvent) => x.id)).sort()).toEqual([['1', '2'], ['1', '3']]);
    expect(ofE).toBe(1);
  });

  it('holds live batches for a client that is replaying, and drops one whose held events pile up', async () => {
    const { fanOut, client, rooms, sent } = setup();
    const r = await client([{}], true);
    await fanOut.deliver(rooms, [stored(1), stored(2)]);
    expect(sent).toEqual([]);
    expect(r.state.pending!.map((e) => e.id)).toEqual(['1', '2']);
    await fanOut.deliver(rooms, Array.from({ length: 10 * 500 }, (_, i) => stored(i + 3)));
    expect(r.socket.emitted[0]).toEqual(['overflow', { buffered: 5002, limit: 10 }]);
    expect(r.socket.connected).toBe(false);
  });

  it('drops a client whose socket has more unsent packets than the limit, and keeps serving the others', async () => {
    const { fanOut, client, rooms, sent } = setup();
    const slow = await client([{}]);
    const fine = await client([{}]);
    slow.socket.conn.writeBuffer.push(...Array(11).fill(0));
    await fanOut.deliver(rooms, [stored(1)]);
    expect(slow.socket.emitted).toEqual([['overflow', { buffered: 11, limit: 10 }]]);
    expect(slow.socket.connected).toBe(false);
    expect(sent).toEqual([{ rooms: [fine.socket.id], body: JSON.stringify([stored(1)]) }]);
  });

  it('delivers queued batches strictly in order, and a failing one does not stop the next', async () => {
    const { fanOut, client, rooms, sent } = setup();
    await client([{}]);
    let calls = 0;
    const flaky = { to: (r: string[]) => (++calls === 2 ? (() => { throw new Error('boom'); })() : rooms.to(r)) } as typeof rooms;
    for (let i = 1; i <= 3; i++) fanOut.enqueue(flaky, [stored(i)]);
    await fanOut.idle;
    expect(sent.map((s) => JSON.parse(s.body)[0].id)).toEqual(['1', '3']);
  });
});
