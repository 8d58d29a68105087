import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { SlowConsumers } from '../../src/api/realtime/clients.js';
import { Replay, type MissedEvents } from '../../src/api/realtime/replay.js';
import { SubscriptionRegistry } from '../../src/api/realtime/subscription-registry.js';
import { BatchVectors } from '../../src/embeddings/batch-vectors.js';
import type { EmbeddingsService } from '../../src/embeddings/embeddings.service.js';
import { FakeSocket, realtimeConfig, stored } from './realtime-fakes.js';

/** The events table edge: ids 1..n in order, `missedSince` as the SQL does it (after id, plain filters, limit). */
function table(n: number, over: (id: number) => Partial<StoredEvent> = () => ({})) {
  const rows = Array.from({ length: n }, (_, i) => stored(i + 1, over(i + 1)));
  const queries: number[] = [];
  const repo: MissedEvents = {
    missedSince: async (after, filters, _windowMs, limit) => {
      queries.push(limit);
      const hit = (e: StoredEvent) => filters.some((f) => (f.source === undefined || f.source === e.source) && (f.entity === undefined || e.entities.includes(f.entity)));
      return rows.filter((e) => BigInt(e.id) > BigInt(after) && hit(e)).slice(0, limit);
    },
  };
  return { rows, repo, queries };
}

const noEmbeddings = { active: undefined } as unknown as EmbeddingsService;

async function setup(env: Record<string, string>, repo: MissedEvents, initial: unknown[] = [{}]) {
  const cfg = realtimeConfig(env);
  const registry = new SubscriptionRegistry(noEmbeddings);
  const replay = new Replay(cfg, repo as never, noEmbeddings, new BatchVectors(noEmbeddings), new SlowConsumers(cfg));
  const socket = new FakeSocket();
  const state = registry.connect(socket.asSocket, true);
  await registry.addInitial(state, initial);
  return { replay, socket, state };
}

describe('Replay', () => {
  it('sends what the client missed in id order, then the held live events it did not cover, each once', async () => {
    const { rows, repo } = table(1200);
    const { replay, socket, state } = await setup({}, repo);
    // Live batches arrive while the replay runs: 1199..1201 (1199 and 1200 are in the table too).
    state.pending!.push(rows[1198]!, rows[1199]!, stored(1201));
    await replay.recover(state, '100');
    const sent = socket.batches();
    expect(sent.map((b) => b.length)).toEqual([500, 500, 100, 1]);
    expect(sent.flat()).toEqual(Array.from({ length: 1101 }, (_, i) => String(i + 101)));
    expect(socket.emitted.at(-1)).toEqual(['recovered', { from: '100', count: 1100, complete: true }]);
    expect(state.pending).toBeUndefined();
  });

  it('stops at SOCKET_RECOVERY_MAX_EVENTS and says the replay is incomplete', async () => {
    const { repo, queries } = table(50, (id) => ({ entities: id % 2 ? ['$btc'] : [] }));
    const { replay, socket, state } = await setup({ SOCKET_RECOVERY_MAX_EVENTS: '10' }, repo, [{ entity: '$btc' }]);
    await replay.recover(state, '0');
    expect(socket.batches()).toEqual([['1', '3', '5', '7', '9', '11', '13', '15', '17', '19']]);
    expect(queries).toEqual([10]);
    expect(socket.emitted.at(-1)).toEqual(['recovered', { from: '0', count: 10, complete: false }]);
  });

  it('says the replay is incomplete when Postgres fails, and still releases the held events', async () => {
    const { replay, socket, state } = await setup({}, { missedSince: async () => Promise.reject(new Error('db away')) });
    state.pending!.push(stored(7));
    await replay.recover(state, '5');
    expect(socket.emitted).toEqual([
      ['events', [stored(7)]],
      ['recovered', { from: '5', count: 0, complete: false }],
    ]);
  });
});
