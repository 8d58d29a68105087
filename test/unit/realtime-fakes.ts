import { Logger } from '@nestjs/common';
import { loadConfig, type SiftConfig } from '../../libs/config/index.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { defaultModelLoaders, EmbeddingsService, type ModelLoader } from '../../src/embeddings/embeddings.service.js';
import { staticHardwareProbe } from '../../src/embeddings/hardware-probe.js';
import type { SiftSocket } from '../../src/api/realtime/clients.js';
import type { Rooms } from '../../src/api/realtime/fan-out.js';
import type { PreEncoded } from '../../src/api/realtime/wire.js';

export const realtimeConfig = (env: Record<string, string> = {}): SiftConfig =>
  loadConfig({ DATABASE_URL: 'postgres://sift@127.0.0.1/sift', EMBEDDINGS_MODEL_DIR: 'models', SOCKET_MAX_BUFFERED_PACKETS: '10', ...env }, 'api,worker');

export const stored = (id: number, over: Partial<StoredEvent> = {}): StoredEvent => ({
  id: String(id),
  source: 'demo',
  sourceEventId: `s${id}`,
  author: 'a',
  text: `t${id}`,
  entities: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  ingestedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/** The socket.io edge: what a socket was sent, its handlers, and its unsent packets. */
export class FakeSocket {
  static n = 0;
  readonly id = `sock${++FakeSocket.n}`;
  connected = true;
  readonly emitted: [string, unknown][] = [];
  readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
  readonly conn = { writeBuffer: [] as unknown[] };
  constructor(readonly handshake: { headers: Record<string, unknown>; auth: Record<string, unknown> } = { headers: {}, auth: {} }) {}
  emit(event: string, data: unknown) {
    this.emitted.push([event, data]);
    return true;
  }
  on(event: string, handler: (...args: unknown[]) => unknown) {
    this.handlers.set(event, handler);
  }
  disconnect() {
    this.connected = false;
  }
  /** Ids of the events this socket was sent, batch by batch. */
  batches(): string[][] {
    return this.emitted.filter(([e]) => e === 'events').map(([, d]) => (d as StoredEvent[]).map((x) => x.id));
  }
  get asSocket() {
    return this as unknown as SiftSocket;
  }
}

/** The socket.io server edge: what was emitted to which rooms, as the JSON text sent. */
export function fakeRooms() {
  const sent: { rooms: string[]; body: string }[] = [];
  const rooms = { to: (r: string[]) => ({ emit: (_ev: string, body: PreEncoded) => void sent.push({ rooms: [...r], body: body.json }) }) } as unknown as Rooms;
  return { rooms, sent };
}

/**
 * The real embeddings chain on the bundled glove model, with every provider call counted
 * (texts per call).
 */
export async function countingGlove(cfg: SiftConfig) {
  const calls: string[][] = [];
  const loaders: Record<string, ModelLoader> = {
    ...defaultModelLoaders,
    glove: async (req) => {
      const p = await defaultModelLoaders.glove!(req);
      const embed = p.embed.bind(p);
      p.embed = (texts: string[]) => (calls.push(texts), embed(texts));
      return p;
    },
  };
  const svc = new EmbeddingsService(cfg, loaders, staticHardwareProbe(false));
  const log = Logger.prototype.log;
  Logger.prototype.log = () => undefined;
  svc.onApplicationBootstrap();
  await svc.settled;
  Logger.prototype.log = log;
  return { svc, calls };
}
