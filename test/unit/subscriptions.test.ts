import { describe, expect, it } from 'vitest';
import { Decoder, Encoder } from 'socket.io-parser';
import { parseFilter, SubscriptionIndex } from '../../src/api/realtime/subscriptions.js';
import { PreEncoded, wireParser } from '../../src/api/realtime/wire.js';
import { stored as ev } from './realtime-fakes.js';

describe('parseFilter', () => {
  it('normalises entities and rejects what it cannot use, saying why', () => {
    expect(parseFilter({ entity: '$BTC' })).toEqual({ ok: true, filter: { entity: '$btc' } });
    expect(parseFilter({ semantic: { q: 'rates', threshold: 0.7 } })).toEqual({ ok: true, filter: { semantic: { q: 'rates', threshold: 0.7 } } });
    expect(parseFilter([])).toMatchObject({ ok: false });
    expect(parseFilter({ colour: 1 })).toMatchObject({ ok: false, error: expect.stringContaining('colour') });
    expect(parseFilter({ source: 'Bad Name' })).toMatchObject({ ok: false, error: expect.stringContaining('source') });
    expect(parseFilter({ semantic: { q: '', threshold: 0.5 } })).toMatchObject({ ok: false });
    expect(parseFilter({ semantic: { q: 'x', threshold: 2 } })).toMatchObject({ ok: false, error: expect.stringContaining('threshold') });
  });
});

describe('SubscriptionIndex', () => {
  it('routes each event once per client, in batch order, by every field of its filters', () => {
    const idx = new SubscriptionIndex<string>();
    idx.add('all', '1', {});
    idx.add('btc', '2', { entity: '$btc' });
    idx.add('btc', '3', { source: 'demo' }); // overlaps with its $btc filter: still once per event
    idx.add('alice-ai', '4', { author: 'alice', entity: '#ai' });
    const batch = [ev(1, { entities: ['$btc'] }), ev(2, { source: 'other', entities: ['#ai'], author: 'alice' }), ev(3, { source: 'other', author: 'alice' })];
    const r = idx.route(batch);
    expect(r.get('all')!.map((e) => e.id)).toEqual(['1', '2', '3']);
    expect(r.get('btc')!.map((e) => e.id)).toEqual(['1']);
    expect(r.get('alice-ai')!.map((e) => e.id)).toEqual(['2']);
  });

  it('matches semantic filters by cosine similarity against the batch vectors', () => {
    const idx = new SubscriptionIndex<string>();
    idx.add('sem', '1', { semantic: { q: 'x', threshold: 0.9 }, vector: Float32Array.of(1, 0) });
    expect(idx.semanticCount).toBe(1);
    const a = ev(1);
    const b = ev(2);
    const vectors = new Map([
      [a, Float32Array.of(0.95, Math.sqrt(1 - 0.95 ** 2))],
      [b, Float32Array.of(0.5, Math.sqrt(0.75))],
    ]);
    expect(idx.route([a, b], (e) => vectors.get(e)).get('sem')!.map((e) => e.id)).toEqual(['1']);
    // Without vectors a semantic filter matches nothing rather than everything.
    expect(idx.route([a, b]).get('sem')).toBeUndefined();
  });

  it('forgets filters on removal so the index does not grow with churn', () => {
    const idx = new SubscriptionIndex<string>();
    for (let i = 0; i < 100; i++) idx.add(`c${i}`, `f${i}`, { entity: `#t${i}` });
    for (let i = 0; i < 100; i++) idx.remove(`c${i}`, `f${i}`, { entity: `#t${i}` });
    expect(idx.size).toBe(0);
    idx.add('s', 'x', { semantic: { q: 'q', threshold: 0.5 }, vector: Float32Array.of(1) });
    idx.remove('s', 'x', { semantic: { q: 'q', threshold: 0.5 } });
    expect(idx.semanticCount).toBe(0);
  });
});

describe('wireParser', () => {
  const batch = [ev(1, { text: 'quote " backslash \\ line\u2028sep 😀', entities: ['$btc'] }), ev(2)];

  it('writes a pre-encoded batch as the exact bytes socket.io would have sent for the parsed batch', async () => {
    for (const packet of [{ type: 2, nsp: '/' }, { type: 2, nsp: '/admin', id: 7 }]) {
      const ours = new wireParser.Encoder().encode({ ...packet, data: ['events', new PreEncoded(JSON.stringify(batch))] });
      const stock = new Encoder().encode({ ...packet, data: ['events', batch] });
      expect(ours).toEqual(stock);
      // …and a stock client decodes it back to the batch.
      const decoded = new Promise((r) => {
        const d = new Decoder();
        d.on('decoded', r);
        d.add(ours[0] as string);
      });
      await expect(decoded).resolves.toMatchObject({ type: 2, data: ['events', batch] });
    }
  });

  it('leaves every other packet to the stock encoder', () => {
    const packets = [
      { type: 2, nsp: '/', data: ['trends', { entered: ['$btc'] }] },
      { type: 3, nsp: '/', id: 4, data: [{ ok: true, id: 'x' }] },
      { type: 0, nsp: '/', data: { sid: 'abc' } },
      { type: 2, nsp: '/', data: ['bin', Buffer.from([1, 2, 3])] },
    ];
    for (const p of packets) expect(new wireParser.Encoder().encode(p)).toEqual(new Encoder().encode(p));
  });
});
