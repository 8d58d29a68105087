import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlowConsumers } from '../../src/api/realtime/clients.js';
import { FanOut } from '../../src/api/realtime/fan-out.js';
import { SubscriptionRegistry } from '../../src/api/realtime/subscription-registry.js';
import { BatchVectors } from '../../src/embeddings/batch-vectors.js';
import { EmbedProcessor } from '../../src/embeddings/embed.processor.js';
import type { EmbeddingsService } from '../../src/embeddings/embeddings.service.js';
import { countingGlove, fakeRooms, FakeSocket, realtimeConfig, stored } from './realtime-fakes.js';

const cfg = realtimeConfig();
const TEXTS = ['bitcoin price jumps after the rate decision', 'a quiet day at the harbour', 'central bank raises interest rates again'];

/**
 * The all-in-one process: the fan-out (with semantic subscriptions) and the embed job share one
 * real embeddings chain (the bundled glove model, every provider call counted) and one
 * BatchVectors. Only the vector table (Postgres) and the socket.io edge are faked.
 */
describe('a stored batch is embedded once per model in one process', () => {
  let svc: EmbeddingsService;
  let calls: string[][];
  beforeAll(async () => void ({ svc, calls } = await countingGlove(cfg)));
  afterAll(() => svc.onApplicationShutdown());

  let nextId = 1;
  async function setup() {
    const batch = TEXTS.map((text) => stored(nextId++, { text }));
    const vectors = new BatchVectors(svc);
    const registry = new SubscriptionRegistry(svc);
    const fanOut = new FanOut(registry, svc, vectors, new SlowConsumers(cfg));
    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    // Three clients, four semantic subscriptions between them.
    const queries = [['bitcoin price'], ['interest rates', 'harbour'], ['bitcoin price jumps after the rate decision']];
    for (const [i, s] of sockets.entries()) {
      const state = registry.connect(s.asSocket, false);
      for (const q of queries[i]!) expect(await registry.subscribe(state, { semantic: { q, threshold: 0.95 } }, {})).toMatchObject({ ok: true });
    }
    const written = new Map<string, Float32Array>();
    const table = {
      textsWithoutVector: async (_m: string, ids: string[]) => batch.filter((e) => ids.includes(e.id) && !written.has(e.id)).map(({ id, text }) => ({ id, text })),
      write: async (_m: string, rows: { eventId: string; vector: Float32Array }[]) => (rows.forEach((r) => written.set(r.eventId, r.vector)), rows.length),
      recordFailures: async () => undefined,
    };
    const job = new EmbedProcessor(cfg, {} as never, svc, table as never, table as never, {} as never, vectors);
    const { rooms, sent } = fakeRooms();
    calls.length = 0; // the subscriptions' query embeddings are not the batch's
    const ids = batch.map((e) => e.id);
    const eventCalls = () => calls.filter((texts) => texts.some((t) => TEXTS.includes(t)));
    return { batch, ids, fanOut, job, rooms, sent, written, sockets, eventCalls };
  }

  it('fan-out first, then the embed job: one provider call, and the job stores the fan-out\'s vectors', async () => {
    const { batch, ids, fanOut, job, rooms, sent, written, sockets, eventCalls } = await setup();
    await fanOut.deliver(rooms, batch);
    expect(await job.embedIds(ids)).toBe(3);
    expect(eventCalls()).toEqual([TEXTS]);
    expect(written.size).toBe(3);
    // The vectors were used for routing: the subscription on the first text's exact words got it.
    expect(sent.find((s) => s.rooms.includes(sockets[2]!.id))?.body).toContain(TEXTS[0]);
  });

  it('embed job first, then fan-out: one provider call', async () => {
    const { batch, ids, fanOut, job, rooms, eventCalls } = await setup();
    await job.embedIds(ids);
    await fanOut.deliver(rooms, batch);
    expect(eventCalls()).toEqual([TEXTS]);
  });

  it('both at once (the relay publishes and enqueues together): one provider call', async () => {
    const { batch, ids, fanOut, job, rooms, eventCalls } = await setup();
    await Promise.all([fanOut.deliver(rooms, batch), job.embedIds(ids)]);
    expect(eventCalls()).toEqual([TEXTS]);
  });

  it('a batch the provider fails on is not remembered: the next ask embeds it again', async () => {
    const vectors = new BatchVectors(svc);
    const failing = { embed: async () => Promise.reject(new Error('model crashed')) } as unknown as EmbeddingsService;
    const broken = new BatchVectors(failing);
    await expect(broken.of('m', [{ id: '1', text: 'x' }])).rejects.toThrow('model crashed');
    await expect(broken.of('m', [{ id: '1', text: 'x' }])).rejects.toThrow('model crashed');
    calls.length = 0;
    const model = svc.active!.id;
    const [a] = await vectors.of(model, [{ id: 'x1', text: 'harbour' }]);
    const [b] = await vectors.of(model, [{ id: 'x1', text: 'harbour' }]);
    expect(a).toBe(b);
    expect(calls).toEqual([['harbour']]);
  });
});
