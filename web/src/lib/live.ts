import { io, type Socket } from 'socket.io-client';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketAuth, SubscriptionFilter } from '../../../libs/contracts/socket.js';
import type { TrendsChanged } from '../../../libs/contracts/trends.js';
import { apiKey, settings } from './settings.js';
import { Store } from './store.js';

export type { StoredEvent, SubscriptionFilter, TrendsChanged };
type SiftSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SocketState =
  | { state: 'connecting' }
  | { state: 'connected'; since: number }
  | { state: 'reconnecting'; attempt: number; reason: string }
  | { state: 'rejected'; reason: string };
export const socketState = new Store<SocketState>({ state: 'connecting' });

/** Items the Live page shows: stored events and markers where a gap was replayed after a reconnect. */
export type LiveItem =
  | { type: 'event'; event: StoredEvent; receivedAt: number }
  | { type: 'recovered'; key: string; from: string; count: number; complete: boolean; at: number }
  | { type: 'notice'; key: string; text: string; at: number };

type Listener = (items: LiveItem[]) => void;
const listeners = new Set<Listener>();
const trendListeners = new Set<(t: TrendsChanged) => void>();
export const latestTrends = new Store<TrendsChanged | null>(null);

let socket: SiftSocket | undefined;
let filter: SubscriptionFilter = {};
/** Highest event id handed to the page: sent as lastEventId on every reconnect so the gap is replayed once. */
let lastEventId: string | undefined;
/** Ids already delivered (bounded), so a replay overlapping what we had never shows twice. */
const SEEN_MAX = 5000;
const seen = new Set<string>();
/** Ring of the ids in `seen`, oldest evicted first. */
const seenRing: (string | undefined)[] = new Array(SEEN_MAX);
let seenPos = 0;
let markers = 0;

const bigger = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a > b);

function emit(items: LiveItem[]) {
  if (items.length) for (const l of listeners) l(items);
}

function connect(): SiftSocket {
  const s: SiftSocket = io(settings.apiUrl, {
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    auth: (cb) => {
      const subscription = Object.keys(filter).length ? [filter] : undefined;
      const a: SocketAuth = { key: apiKey.get() ?? undefined, subscriptions: subscription, lastEventId };
      cb(a as Record<string, unknown>);
    },
  });
  s.on('connect', () => socketState.set({ state: 'connected', since: Date.now() }));
  s.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    socketState.set({ state: 'reconnecting', attempt: 0, reason });
    // A server-side disconnect (overflow, shutdown) does not reconnect by itself.
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1000);
  });
  s.on('connect_error', (err) => {
    const m = err.message || 'connection failed';
    if (/unauthori[sz]ed|401|api key|forbidden|403/i.test(m)) {
      socketState.set({ state: 'rejected', reason: m });
      // Retry slowly: a key may be entered meanwhile.
      setTimeout(() => !s.connected && s.connect(), 3000);
    } else socketState.set({ state: 'reconnecting', attempt: (s.io as unknown as { backoff?: { attempts: number } }).backoff?.attempts ?? 0, reason: m });
  });
  s.on('events', (batch) => {
    const now = Date.now();
    const out: LiveItem[] = [];
    for (const e of batch) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      const old = seenRing[seenPos];
      if (old !== undefined) seen.delete(old);
      seenRing[seenPos] = e.id;
      seenPos = (seenPos + 1) % SEEN_MAX;
      if (!lastEventId || bigger(e.id, lastEventId)) lastEventId = e.id;
      out.push({ type: 'event', event: e, receivedAt: now });
    }
    emit(out);
  });
  s.on('recovered', (info) => emit([{ type: 'recovered', key: `r${++markers}`, ...info, at: Date.now() }]));
  s.on('overflow', (info) =>
    emit([{ type: 'notice', key: `o${++markers}`, text: `The server dropped this connection: ${info.buffered} messages were waiting (limit ${info.limit}). Reconnecting; missed events are replayed.`, at: Date.now() }]),
  );
  s.on('reconnect_hint', (info) => {
    emit([{ type: 'notice', key: `h${++markers}`, text: `Server restarting: reconnecting in ${Math.round(info.afterMs / 1000)} s.`, at: Date.now() }]);
    setTimeout(() => {
      s.disconnect();
      s.connect();
    }, info.afterMs);
  });
  s.on('trends', (t) => {
    latestTrends.set(t);
    for (const l of trendListeners) l(t);
  });
  return s;
}

export function startLive() {
  socket ??= connect();
  apiKey.subscribe(() => {
    socket?.disconnect();
    socket?.connect();
  });
}

/** Replaces the subscription: reconnects with the new filter (nothing is replayed for the old one). */
export function setFilter(f: SubscriptionFilter) {
  const clean: SubscriptionFilter = {};
  if (f.source) clean.source = f.source;
  if (f.entity) clean.entity = f.entity;
  if (f.author) clean.author = f.author;
  if (f.semantic?.q) clean.semantic = f.semantic;
  if (JSON.stringify(clean) === JSON.stringify(filter)) return;
  filter = clean;
  lastEventId = undefined;
  seen.clear();
  seenRing.fill(undefined);
  seenPos = 0;
  if (socket) {
    socket.disconnect();
    socket.connect();
  }
}
export const currentFilter = () => filter;

export function onLive(l: Listener) {
  listeners.add(l);
  return () => void listeners.delete(l);
}
export function onTrends(l: (t: TrendsChanged) => void) {
  trendListeners.add(l);
  return () => void trendListeners.delete(l);
}
