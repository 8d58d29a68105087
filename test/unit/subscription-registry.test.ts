import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionRegistry } from '../../src/api/realtime/subscription-registry.js';
import { MAX_SUBSCRIPTIONS } from '../../src/api/realtime/connection-auth.js';
import type { EmbeddingsService } from '../../src/embeddings/embeddings.service.js';
import { countingGlove, FakeSocket, realtimeConfig, stored } from './realtime-fakes.js';

describe('SubscriptionRegistry', () => {
  let embeddings: EmbeddingsService;
  beforeAll(async () => void ({ svc: embeddings } = await countingGlove(realtimeConfig())));
  afterAll(() => embeddings.onApplicationShutdown());

  it('routes a batch by each client\'s filters; a bare connection gets everything until it subscribes', async () => {
    const r = new SubscriptionRegistry(embeddings);
    const bare = r.connect(new FakeSocket().asSocket, false);
    await r.addInitial(bare, [{}]);
    const btc = r.connect(new FakeSocket().asSocket, false);
    await r.addInitial(btc, [{ entity: '$BTC' }, { colour: 'red' }]); // the invalid one is skipped
    const batch = [stored(1, { entities: ['$btc'] }), stored(2)];
    const ids = (m: Map<unknown, { id: string }[]>, c: unknown) => m.get(c)?.map((e) => e.id);
    let routed = r.route(batch);
    expect([ids(routed, bare), ids(routed, btc)]).toEqual([['1', '2'], ['1']]);
    // An explicit subscription replaces the implicit "everything".
    const auth = {};
    expect(await r.subscribe(bare, { source: 'other' }, auth)).toMatchObject({ ok: true, id: expect.any(String) });
    routed = r.route(batch);
    expect(ids(routed, bare)).toBeUndefined();
    expect(r.size).toBe(2);
  });

  it('acks subscribe and unsubscribe with what went wrong', async () => {
    const r = new SubscriptionRegistry(embeddings);
    const c = r.connect(new FakeSocket().asSocket, false);
    expect(await r.subscribe(c, { entity: 'not valid!' }, {})).toMatchObject({ ok: false, error: expect.stringContaining('entity') });
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) expect(await r.subscribe(c, { entity: `#t${i}` }, {})).toMatchObject({ ok: true });
    expect(await r.subscribe(c, { entity: '#one-more' }, {})).toEqual({ ok: false, error: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection` });
    const [first] = c.filters.keys();
    expect(r.unsubscribe(c, first)).toEqual({ ok: true });
    expect(r.unsubscribe(c, first)).toEqual({ ok: false, error: `no subscription ${first}` });
  });

  it('embeds a semantic query once, on subscribe, and forgets every filter of a client that disconnects', async () => {
    const r = new SubscriptionRegistry(embeddings);
    const socket = new FakeSocket();
    const c = r.connect(socket.asSocket, false);
    expect(await r.subscribe(c, { semantic: { q: 'bitcoin price', threshold: 0.5 } }, {})).toMatchObject({ ok: true });
    expect([...c.filters.values()][0]!.vector).toHaveLength(100);
    expect(r.semanticCount).toBe(1);
    r.disconnect(socket);
    expect([r.semanticCount, r.size]).toEqual([0, 0]);
  });

  it('refuses a semantic subscription when embeddings are disabled', async () => {
    const { svc } = await countingGlove(realtimeConfig({ EMBEDDINGS_ENABLED: 'false' }));
    const r = new SubscriptionRegistry(svc);
    const c = r.connect(new FakeSocket().asSocket, false);
    expect(await r.subscribe(c, { semantic: { q: 'x', threshold: 0.5 } }, {})).toEqual({ ok: false, error: 'semantic subscriptions need embeddings, which are unavailable right now' });
  });
});
