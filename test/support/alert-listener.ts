import { io, type Socket } from 'socket.io-client';
import type { Alert } from '../../libs/contracts/alerts.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../libs/contracts/socket.js';

export type SiftSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client authenticated with `key` that collects every `alert` event it gets; `sockets` collects the clients for teardown. */
export function listenForAlerts(url: string, key: string, sockets: SiftSocket[]): { socket: SiftSocket; got: Alert[] } {
  const got: Alert[] = [];
  const socket: SiftSocket = io(url, { transports: ['websocket'], reconnection: false, auth: { key } });
  socket.on('alert', (a) => got.push(a));
  sockets.push(socket);
  return { socket, got };
}
