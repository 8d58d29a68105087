import { describe, expect, it } from 'vitest';
import { ConnectionAuth, MAX_SUBSCRIPTIONS } from '../../src/api/realtime/connection-auth.js';
import type { ApiKeysService } from '../../src/api/auth/api-keys.service.js';
import { realtimeConfig } from './realtime-fakes.js';

/** The key table edge: one read key and one without the read scope. */
const keys = {
  authenticate: async (secret: string) => (secret === 'good' ? { scopes: ['read'] } : secret === 'writer' ? { scopes: ['write'] } : null),
} as unknown as ApiKeysService;

const attempt = async (auth: ConnectionAuth, handshake: { headers?: Record<string, unknown>; auth?: Record<string, unknown> }) => {
  let result: Error | undefined | 'not called' = 'not called';
  await auth.middleware({ handshake: { headers: {}, auth: {}, ...handshake } } as never, (err) => (result = err));
  return result;
};

describe('ConnectionAuth', () => {
  it('lets in a key with the read scope (auth or headers) and says why it refuses the others', async () => {
    const auth = new ConnectionAuth(realtimeConfig({ API_AUTH: 'required' }), keys);
    expect(await attempt(auth, { auth: { key: 'good' } })).toBeUndefined();
    expect(await attempt(auth, { headers: { authorization: 'Bearer good' } })).toBeUndefined();
    expect(String(await attempt(auth, {}))).toContain('API key required');
    expect(String(await attempt(auth, { auth: { key: 'nope' } }))).toContain('unknown or revoked');
    expect(String(await attempt(auth, { auth: { key: 'writer' } }))).toContain('lacks the "read" scope');
  });

  it('lets everyone in when auth is off', async () => {
    const auth = new ConnectionAuth(realtimeConfig({ API_AUTH: 'off' }), keys);
    expect(await attempt(auth, {})).toBeUndefined();
  });

  it('reads the initial subscriptions (absent: everything) and a well-formed lastEventId from the handshake', () => {
    const auth = new ConnectionAuth(realtimeConfig(), keys);
    const hs = (a: Record<string, unknown>) => auth.handshake({ handshake: { headers: {}, auth: a } } as never);
    expect(hs({})).toMatchObject({ ok: true, initial: [{}], lastEventId: undefined });
    expect(hs({ subscriptions: [{ entity: '$btc' }], lastEventId: '42' })).toMatchObject({ ok: true, initial: [{ entity: '$btc' }], lastEventId: '42' });
    expect(hs({ lastEventId: '42; DROP' })).toMatchObject({ ok: true, lastEventId: undefined });
    expect(hs({ subscriptions: 'all' })).toEqual({ ok: false });
    expect(hs({ subscriptions: Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, () => ({})) })).toEqual({ ok: false });
  });
});
