import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { authRequired, type SiftConfig } from '../../../libs/config/index.js';
import type { SocketAuth } from '../../../libs/contracts/socket.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { presentedKey } from '../auth/api-auth.guard.js';
import { ApiKeysService } from '../auth/api-keys.service.js';

export const MAX_SUBSCRIPTIONS = 50;

/** socket.io room of the connections that receive alerts with no owner key. */
export const ADMIN_ALERT_ROOM = 'alerts:admin';
/** socket.io room of one API key's connections (for alerts it owns). */
export const alertRoomOf = (keyId: string) => `alerts:key:${keyId}`;

/** What a connecting client asked for in its handshake. */
export type Handshake =
  | { ok: true; auth: SocketAuth; initial: unknown[]; lastEventId?: string }
  /** Too many (or not a list of) initial subscriptions: the client is told and cut off. */
  | { ok: false };

/** Who may connect (the REST keys, "read" scope) and what a connection asks for. */
@Injectable()
export class ConnectionAuth {
  constructor(
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    private readonly keys: ApiKeysService,
  ) {}

  /** Handshake auth for `server.use`: a refused client gets connect_error with the reason. */
  readonly middleware = async (socket: Pick<Socket, 'handshake' | 'data'>, next: (err?: Error) => void) => {
    // Open mode (no keys configured): the one operator gets operators' alerts.
    if (!authRequired(this.cfg)) {
      socket.data = { ...socket.data, alertRooms: [ADMIN_ALERT_ROOM] };
      return next();
    }
    const secret = presentedKey(socket.handshake.headers as Record<string, unknown>, socket.handshake.auth);
    if (!secret) return next(new Error('unauthorized: API key required (auth: { key })'));
    const principal = await this.keys.authenticate(secret).catch(() => null);
    if (!principal) return next(new Error('unauthorized: API key is unknown or revoked'));
    if (!principal.scopes.includes('read')) return next(new Error('forbidden: key lacks the "read" scope'));
    // Rooms this connection receives alerts in: its own key's, and the operators' for admin keys.
    socket.data = { ...socket.data, alertRooms: [alertRoomOf(principal.keyId), ...(principal.scopes.includes('admin') ? [ADMIN_ALERT_ROOM] : [])] };
    next();
  };

  /** The initial subscriptions (absent: everything) and the replay point of a connection. */
  handshake(socket: Pick<Socket, 'handshake'>): Handshake {
    const auth = (socket.handshake.auth ?? {}) as SocketAuth;
    const initial = auth.subscriptions ?? [{}];
    if (!Array.isArray(initial) || initial.length > MAX_SUBSCRIPTIONS) return { ok: false };
    const lastEventId = typeof auth.lastEventId === 'string' && /^\d{1,18}$/.test(auth.lastEventId) ? auth.lastEventId : undefined;
    return { ok: true, auth, initial, lastEventId };
  }
}
