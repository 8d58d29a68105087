import bs58 from 'bs58';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../libs/config/index.js';
import { openFrame, parseFrameKey, parseSolanaSecretKey, signChallenge } from '../../libs/crypto/sealed-crypto.js';
import { SealedAdapter } from '../../src/relay/sources/sealed.adapter.js';
import { seal } from '../support/sealed-server.js';
import { solanaKeypair } from '../support/keys.js';

describe('Solana secret key parsing', () => {
  const kp = solanaKeypair();

  it('accepts base58 of seed ‖ public key and of the bare seed, deriving the right public key', () => {
    expect(parseSolanaSecretKey(kp.secret).publicKeyBase58).toBe(kp.publicKey);
    expect(parseSolanaSecretKey(bs58.encode(kp.seed)).publicKeyBase58).toBe(kp.publicKey);
  });

  it.each([
    ['a JSON byte array', JSON.stringify([...Buffer.concat([kp.seed, kp.pub])]), /JSON byte array/],
    ['hex', Buffer.concat([kp.seed, kp.pub]).toString('hex'), /looks like hex/],
    ['base64', Buffer.concat([kp.seed, kp.pub]).toString('base64') + '+/=', /base64/],
    ['the wrong length', bs58.encode(randomBytes(48)), /decodes to 48 bytes/],
    ['a mismatched public half', bs58.encode(Buffer.concat([kp.seed, randomBytes(32)])), /not the public key/],
    ['nothing', '   ', /empty/],
  ])('rejects %s with an error naming the mistake', (_what, input, msg) => {
    expect(() => parseSolanaSecretKey(input)).toThrow(msg);
  });

  it('is validated at config load, naming the var', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x', RELAY_SOURCES: '[{"name":"vault","kind":"sealed","url":"http://127.0.0.1:1/"}]' };
    expect(() => loadConfig(base, 'relay')).toThrow(/RELAY_SEALED_SECRET_KEY: is required because RELAY_SOURCES has a sealed source/);
    expect(() => loadConfig({ ...base, RELAY_SEALED_SECRET_KEY: kp.seed.toString('hex') }, 'relay')).toThrow(/RELAY_SEALED_SECRET_KEY: the key looks like hex/);
    const cfg = loadConfig({ ...base, RELAY_SEALED_SECRET_KEY: kp.secret }, 'relay');
    expect(cfg.RELAY_SOURCES[0]).toMatchObject({ kind: 'sealed', url: 'http://127.0.0.1:1' });
  });

  it('signs challenges verifiably and opens sealed frames', () => {
    const sig = bs58.decode(signChallenge(parseSolanaSecretKey(kp.secret), 'hello'));
    expect(sig.length).toBe(64);
    const key = randomBytes(32);
    expect(openFrame(key, seal(key, Buffer.from('plain'))).toString()).toBe('plain');
    expect(() => openFrame(randomBytes(32), seal(key, Buffer.from('plain')))).toThrow();
  });

  it('rejects frame keys that are not base64 of 32 bytes', () => {
    expect(parseFrameKey(randomBytes(32).toString('base64')).length).toBe(32);
    expect(() => parseFrameKey(randomBytes(16).toString('base64'))).toThrow(/16 bytes; AES-256-GCM needs 32/);
    expect(() => parseFrameKey('not base64!')).toThrow(/not a base64 string/);
    expect(() => parseFrameKey(undefined)).toThrow(/not a base64 string/);
  });
});

describe('SealedAdapter.parse', () => {
  const kp = solanaKeypair();
  const key = randomBytes(32);
  const adapter = new SealedAdapter({ name: 'vault', url: 'http://127.0.0.1:1', resume: true }, parseSolanaSecretKey(kp.secret), 65536, (async (url: string) => {
    const body = url.endsWith('/auth/challenge') ? { challenge: 'c' } : { token: 't', key: key.toString('base64') };
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof fetch);

  it('quarantines frames before authentication, then decrypts after', async () => {
    const frame = seal(key, Buffer.from(JSON.stringify({ seq: 5, id: 'a', author: 'w', text: 'gm $sol', createdAt: new Date().toISOString() })));
    expect(adapter.parse(frame)).toMatchObject({ kind: 'bad', reason: 'undecryptable' });
    const url = await adapter.connectUrl('4');
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:1\/stream\?token=t&cursor=4$/);
    const r = adapter.parse(frame);
    expect(r).toMatchObject({ kind: 'event', event: { sourceEventId: 'a', cursor: '5', entities: ['$sol'] } });
  });

  it('classifies tampered, hostile and non-event plaintexts', () => {
    const good = seal(key, Buffer.from('{"type":"heartbeat"}'));
    expect(adapter.parse(good)).toEqual({ kind: 'skip' });
    const tampered = Buffer.from(good);
    tampered[14] ^= 1;
    expect(adapter.parse(tampered)).toMatchObject({ kind: 'bad', reason: 'undecryptable' });
    expect(adapter.parse(Buffer.from('short'))).toMatchObject({ kind: 'bad', reason: 'undecryptable' });
    expect(adapter.parse(seal(key, Buffer.from('not json')))).toMatchObject({ kind: 'bad', reason: 'not_json' });
    expect(adapter.parse(seal(key, Buffer.from([0xff, 0xfe])))).toMatchObject({ kind: 'bad', reason: 'invalid_utf8' });
    expect(adapter.parse(seal(key, Buffer.from('{"seq":1,"id":"x","author":"a","text":"t","createdAt":"1970-01-01T00:00:00Z"}')))).toMatchObject({ kind: 'bad', reason: 'absurd_timestamp' });
    expect(adapter.parse(seal(key, Buffer.from('{"seq":-1}')))).toMatchObject({ kind: 'bad', reason: 'wrong_shape' });
  });
});
