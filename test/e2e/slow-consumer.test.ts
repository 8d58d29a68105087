import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_BUS, TOPICS, type EventBus } from '../../libs/bus/event-bus.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../libs/contracts/socket.js';
import type { SiftApp } from '../../src/bootstrap.js';
import { bootSift, metricValue, TEST_ADMIN_KEY } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { waitFor } from '../support/wait.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const LIMIT = 10;
/** Big events fill the loopback socket buffers (a few MB) in a few dozen batches. */
const TEXT = 'x'.repeat(200_000);

describe('slow socket.io consumers (real api, Redis bus, socket.io clients)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sift: SiftApp;
  let bus: EventBus;
  const sockets: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sift_slow');
    sift = await bootSift({ DATABASE_URL: db.url, SOCKET_MAX_BUFFERED_PACKETS: String(LIMIT), EMBEDDINGS_ENABLED: 'false' }, 'api');
    bus = sift.app.get(EVENT_BUS);
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await sift?.close();
    await db?.drop();
  });

  const connect = async () => {
    const socket: Client = io(sift.url, { transports: ['websocket'], reconnection: false, auth: { key: TEST_ADMIN_KEY } });
    sockets.push(socket);
    await waitFor('client connected', () => socket.connected);
    return socket;
  };
  const dropped = () => metricValue(sift.url, 'sift_socket_dropped_total');

  it('disconnects a client that stops reading once its unsent packets pass the limit; a reading client gets everything', async () => {
    const fast = await connect();
    const slow = await connect();
    const fastGot: string[] = [];
    fast.on('events', (batch) => fastGot.push(...batch.map((e) => e.id)));
    let slowDisconnect: string | undefined;
    slow.on('disconnect', (reason) => (slowDisconnect = reason));
    // The slow client stops reading its TCP socket: the kernel buffers fill, then the server's.
    const tcp = (slow.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
    tcp.pause();
    const before = await dropped();
    expect(await metricValue(sift.url, 'sift_socket_clients')).toBe(2);

    let published = 0;
    for (; published < 400 && (await dropped()) === before; published++) {
      const ev: StoredEvent = {
        id: String(published + 1),
        source: 'slow',
        sourceEventId: `s${published}`,
        author: 'did:plc:slow',
        text: TEXT,
        entities: [],
        createdAt: new Date().toISOString(),
        ingestedAt: new Date().toISOString(),
      };
      await bus.publish(TOPICS.eventsStored, [ev]);
      if (published % 10 === 9) await new Promise((r) => setTimeout(r, 20));
    }
    // Dropped after the limit (and the kernel buffers) filled, well before the 400 batches.
    expect(await dropped()).toBe(before + 1);
    expect(published).toBeGreaterThan(LIMIT);
    expect(published).toBeLessThan(400);

    // The reading client was not held back: it receives every batch, in order.
    await waitFor('fast client received everything', () => fastGot.length === published, 30_000);
    expect(fastGot).toEqual(Array.from({ length: published }, (_, i) => String(i + 1)));
    expect(fast.connected).toBe(true);

    // The server closed the slow client's connection: once it reads again it sees the close.
    tcp.resume();
    await waitFor('slow client sees the disconnect', () => slowDisconnect !== undefined, 30_000);
    expect(slow.connected).toBe(false);
    expect(await metricValue(sift.url, 'sift_socket_clients')).toBe(1);
  }, 120_000);
});
