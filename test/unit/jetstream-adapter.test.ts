import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { JetstreamAdapter } from '../../src/relay/sources/jetstream.adapter.js';
import type { FrameResult } from '../../src/relay/sources/source-adapter.js';

const SAMPLE = fileURLToPath(new URL('../../data/sample-posts.ndjson', import.meta.url));

const adapter = (over: Partial<{ url: string; collections: string[]; resume: boolean }> = {}, maxFrameBytes = 65_536) =>
  new JetstreamAdapter(
    { name: 'bsky', url: 'wss://js.example', collections: ['app.bsky.feed.post'], resume: true, ...over },
    maxFrameBytes,
  );

const DID = 'did:plc:ith2lb6uyktff7cpwsayigyg';
const TIME_US = 1748779200123456; // 2025-06-01T12:00:00.123456Z

function post(over: Record<string, unknown> = {}, commitOver: Record<string, unknown> = {}, recordOver: Record<string, unknown> = {}) {
  return {
    did: DID,
    time_us: TIME_US,
    kind: 'commit',
    commit: {
      rev: '3lqk7lk5fkz2l',
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: '3lqk7ljfd7o67',
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: '2025-06-01T11:59:58.000Z',
        langs: ['en'],
        text: 'buying $BTC #Crypto with @alice.bsky.social https://www.Example.com/x',
        ...recordOver,
      },
      cid: 'bafyrei',
      ...commitOver,
    },
    ...over,
  };
}

const frame = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const parse = (v: unknown, a = adapter()) => a.parse(frame(v));

function expectEvent(r: FrameResult) {
  if (r.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r.event;
}
function expectBad(r: FrameResult, reason: string) {
  expect(r.kind).toBe('bad');
  if (r.kind !== 'bad') return '';
  expect(r.reason).toBe(reason);
  return r.detail;
}

describe('JetstreamAdapter: connection and cursors', () => {
  it('exposes name and resumable from the config', () => {
    expect(adapter().name).toBe('bsky');
    expect(adapter().resumable).toBe(true);
    expect(adapter({ resume: false }).resumable).toBe(false);
  });

  it('appends /subscribe and the wanted collections without a cursor', () => {
    const u = new URL(adapter().connectUrl(undefined));
    expect(u.protocol).toBe('wss:');
    expect(u.host).toBe('js.example');
    expect(u.pathname).toBe('/subscribe');
    expect(u.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
    expect(u.searchParams.has('cursor')).toBe(false);
  });

  it('adds the cursor when resuming', () => {
    const u = new URL(adapter().connectUrl('1748779200000000'));
    expect(u.searchParams.get('cursor')).toBe('1748779200000000');
    expect(u.pathname).toBe('/subscribe');
  });

  it('ignores the cursor when resume is off', () => {
    const u = new URL(adapter({ resume: false }).connectUrl('1748779200000000'));
    expect(u.searchParams.has('cursor')).toBe(false);
  });

  it('repeats wantedCollections for every collection, and omits it when there are none', () => {
    const many = new URL(adapter({ collections: ['app.bsky.feed.post', 'app.bsky.feed.like'] }).connectUrl(undefined));
    expect(many.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post', 'app.bsky.feed.like']);
    const none = new URL(adapter({ collections: [] }).connectUrl(undefined));
    expect(none.searchParams.has('wantedCollections')).toBe(false);
    expect(none.pathname).toBe('/subscribe');
  });

  it('does not double a /subscribe already in the url', () => {
    const u = new URL(adapter({ url: 'wss://jetstream2.us-east.bsky.network/subscribe' }).connectUrl('42'));
    expect(u.host).toBe('jetstream2.us-east.bsky.network');
    expect(u.pathname).toBe('/subscribe');
    expect(u.searchParams.get('cursor')).toBe('42');
  });

  it('keeps a base path before /subscribe', () => {
    expect(new URL(adapter({ url: 'ws://127.0.0.1:9999/jet' }).connectUrl(undefined)).pathname).toBe('/jet/subscribe');
  });

  // Regression (was a bug in jetstream.adapter.ts connectUrl): the "/subscribe already present"
  // check is `url.includes('/subscribe')` on the whole URL string, so a host whose name starts
  // with "subscribe" (wss://subscribe.example.com contains "//subscribe") never gets the path
  // appended and the relay connects to "/" instead of "/subscribe".
  it('appends /subscribe for a host whose name starts with "subscribe"', () => {
    expect(new URL(adapter({ url: 'wss://subscribe.example.com' }).connectUrl(undefined)).pathname).toBe('/subscribe');
  });

  it('rewind subtracts the overlap in microseconds, never below 0', () => {
    const a = adapter();
    expect(a.rewind('1748779200000000', 2000)).toBe('1748779198000000');
    expect(a.rewind('1748779200000000', 0)).toBe('1748779200000000');
    expect(a.rewind('1500000', 2000)).toBe('0');
  });

  it('cursorTime converts time_us to a Date (millisecond precision)', () => {
    const a = adapter();
    expect(a.cursorTime('1748779200123456')?.toISOString()).toBe('2025-06-01T12:00:00.123Z');
    expect(a.cursorTime('not a number')).toBeUndefined();
  });
});

describe('JetstreamAdapter.parse: events', () => {
  it('maps a post to a SiftEvent', () => {
    const e = expectEvent(parse(post()));
    expect(e.source).toBe('bsky');
    expect(e.sourceEventId).toBe(`${DID}/app.bsky.feed.post/3lqk7ljfd7o67`);
    expect(e.author).toBe(DID);
    expect(e.text).toBe('buying $BTC #Crypto with @alice.bsky.social https://www.Example.com/x');
    expect(e.entities).toEqual(['$btc', '#crypto', '@alice.bsky.social', 'example.com']);
    expect(e.lang).toBe('en');
    expect(e.cursor).toBe(String(TIME_US));
  });

  it('uses record.createdAt when it is sane', () => {
    expect(expectEvent(parse(post())).createdAt.toISOString()).toBe('2025-06-01T11:59:58.000Z');
  });

  it.each([
    ['missing', undefined],
    ['unparseable', 'yesterday-ish'],
    ['before 2000', '1970-01-01T00:00:00Z'],
    ['far in the future', '2999-01-01T00:00:00Z'],
    ['not a string', 1748779200000],
  ])('falls back to time_us when createdAt is %s', (_what, createdAt) => {
    const e = expectEvent(parse(post({}, {}, { createdAt })));
    expect(e.createdAt.toISOString()).toBe('2025-06-01T12:00:00.123Z');
  });

  it('strips NUL characters from the text', () => {
    const e = expectEvent(parse(post({}, {}, { text: 'a\u0000b\u0000c #tag' })));
    expect(e.text).toBe('abc #tag');
    expect(e.text).not.toContain('\u0000');
  });

  it('caps very long text', () => {
    const e = expectEvent(parse(post({}, {}, { text: 'x'.repeat(20_000) }), adapter({}, 1 << 20)));
    expect(e.text.length).toBe(10_000);
  });

  it('leaves lang undefined when langs is absent', () => {
    expect(expectEvent(parse(post({}, {}, { langs: undefined }))).lang).toBeUndefined();
  });

  it('accepts an empty text', () => {
    const e = expectEvent(parse(post({}, {}, { text: '' })));
    expect(e.text).toBe('');
    expect(e.entities).toEqual([]);
  });
});

describe('JetstreamAdapter.parse: skips', () => {
  it.each([
    ['identity', { did: DID, time_us: TIME_US, kind: 'identity', identity: { did: DID, handle: 'a.bsky.social' } }],
    ['account', { did: DID, time_us: TIME_US, kind: 'account', account: { active: false, did: DID } }],
    ['delete', post({}, { operation: 'delete', record: undefined })],
    ['update', post({}, { operation: 'update' })],
    ['like', post({}, { collection: 'app.bsky.feed.like', record: { subject: {}, createdAt: '2025-06-01T12:00:00Z' } })],
  ])('skips a %s frame, keeping its cursor', (_what, f) => {
    expect(parse(f)).toEqual({ kind: 'skip', cursor: String(TIME_US) });
  });
});

describe('JetstreamAdapter.parse: bad frames', () => {
  it('rejects an oversized frame before parsing it', () => {
    const a = adapter({}, 300);
    const detail = expectBad(a.parse(frame(post({}, {}, { text: 'y'.repeat(400) }))), 'oversized');
    expect(detail).toMatch(/> 300/);
    // the same frame passes with a larger limit
    expect(adapter({}, 1000).parse(frame(post({}, {}, { text: 'y'.repeat(400) }))).kind).toBe('event');
  });

  it('rejects invalid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('{"did":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    expectBad(adapter().parse(bytes), 'invalid_utf8');
  });

  it('rejects text that is not JSON', () => {
    expectBad(parse('{"did": "did:plc:x", '), 'not_json');
    expectBad(parse('hello'), 'not_json');
  });

  it.each([
    ['an array', [post()]],
    ['null', null],
    ['a number', 42],
    ['a string', 'a string'],
  ])('rejects JSON that is %s', (_what, v) => {
    expectBad(adapter().parse(Buffer.from(JSON.stringify(v))), 'wrong_shape');
  });

  it.each([
    ['missing did', post({ did: undefined }), /did/],
    ['invalid did', post({ did: 'plc:abc' }), /did/],
    ['missing time_us', post({ time_us: undefined }), /time_us/],
    ['string time_us', post({ time_us: String(TIME_US) }), /time_us/],
    ['negative time_us', post({ time_us: -5 }), /time_us/],
    ['fractional time_us', post({ time_us: 1.5 }), /time_us/],
    ['missing rkey', post({}, { rkey: undefined }), /rkey/],
    ['empty rkey', post({}, { rkey: '' }), /rkey/],
    ['missing record', post({}, { record: undefined }), /record\.text/],
    ['missing text', post({}, {}, { text: undefined }), /record\.text/],
    ['non-string text', post({}, {}, { text: 42 }), /record\.text/],
    ['commit kind without commit', { did: DID, time_us: TIME_US, kind: 'commit' }, /commit/],
    ['unknown kind', post({ kind: 'tombstone' }), /unknown kind "tombstone"/],
    ['missing kind', post({ kind: undefined }), /unknown kind/],
  ])('rejects %s as wrong_shape', (_what, f, detail) => {
    expect(expectBad(parse(f), 'wrong_shape')).toMatch(detail);
  });

  it.each([
    ['1970', 1_000_000], // one second after the epoch
    ['1999', Date.UTC(1999, 11, 31) * 1000],
    ['2100', Date.UTC(2100, 0, 1) * 1000],
  ])('rejects a post whose time_us is in %s as absurd_timestamp', (_year, timeUs) => {
    const detail = expectBad(parse(post({ time_us: timeUs })), 'absurd_timestamp');
    expect(detail).toContain(String(timeUs));
  });
});

describe('JetstreamAdapter.parse: the sample file', () => {
  it('parses every line of data/sample-posts.ndjson to an event or a skip', () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(100);
    const a = adapter();
    const counts = { event: 0, skip: 0, bad: 0 };
    const bad: string[] = [];
    const ids = new Set<string>();
    for (const line of lines) {
      const r = a.parse(Buffer.from(line));
      counts[r.kind]++;
      if (r.kind === 'bad') bad.push(`${r.reason}: ${r.detail}`);
      if (r.kind === 'event') {
        expect(r.event.sourceEventId.startsWith(r.event.author + '/')).toBe(true);
        ids.add(r.event.sourceEventId);
      }
    }
    expect(bad).toEqual([]);
    expect(counts.event).toBeGreaterThan(lines.length / 2);
    expect(ids.size).toBe(counts.event); // sourceEventIds are unique in the sample
  });
});
