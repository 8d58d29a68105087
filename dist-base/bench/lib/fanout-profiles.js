/**
 * bench:fanout subscription profiles: what each connected client subscribes to.
 *
 * - `firehose`: every client gets every event (the worst case: clients × rate deliveries; at
 *   1000 clients × 5000 ev/s that is 5M event deliveries ≈ 1.5 GB/s of frames).
 * - `mixed`: how dashboards and bots subscribe. A few clients take the firehose (archivers,
 *   analytics); most watch a handful of entities (tickers, tags: popular ones more often, as
 *   they are in the stream), follow some authors, or watch an entity within one source.
 *   The filters are drawn from the bench source's own posts, so they do match.
 */
import { extractEntities } from '../../src/relay/extract-entities.js';
import { mulberry32 } from '../../libs/common/random.js';
export const PROFILES = ['firehose', 'mixed'];
/** Shares of the mixed profile (sum 1). */
export const MIXED_SHARES = { firehose: 0.05, entities: 0.55, authors: 0.25, sourceEntity: 0.15 };
/**
 * Per client (in connection order), its subscriptions; `undefined` = everything (the handshake's
 * default). Deterministic for a given (profile, n, posts).
 */
export function subscriptionsFor(profile, n, posts, source) {
    if (profile === 'firehose')
        return Array.from({ length: n }, () => undefined);
    const rng = { next: mulberry32(1234) };
    // Entities weighted by how often they occur in the stream; authors uniform.
    const freq = new Map();
    for (const p of posts)
        for (const e of new Set(extractEntities(p.text)))
            freq.set(e, (freq.get(e) ?? 0) + 1);
    const entities = [...freq.entries()].sort((a, b) => b[1] - a[1]);
    const total = entities.reduce((s, [, c]) => s + c, 0);
    const pickEntity = () => {
        let r = rng.next() * total;
        for (const [e, c] of entities)
            if ((r -= c) < 0)
                return e;
        return entities[entities.length - 1][0];
    };
    const authors = [...new Set(posts.map((p) => p.did))];
    const pickAuthor = () => authors[Math.floor(rng.next() * authors.length)];
    const distinct = (k, pick) => {
        const s = new Set();
        for (let tries = 0; s.size < k && tries < 50; tries++)
            s.add(pick());
        return [...s];
    };
    // Kinds laid out by stride so every slice of the connection order (and every client process) gets a mix.
    const firehoseEvery = Math.max(1, Math.round(1 / MIXED_SHARES.firehose));
    return Array.from({ length: n }, (_, i) => {
        if (i % firehoseEvery === 0)
            return undefined;
        const r = rng.next() * (1 - MIXED_SHARES.firehose);
        if (r < MIXED_SHARES.entities)
            return distinct(1 + Math.floor(rng.next() * 3), pickEntity).map((entity) => ({ entity }));
        if (r < MIXED_SHARES.entities + MIXED_SHARES.authors)
            return distinct(1 + Math.floor(rng.next() * 5), pickAuthor).map((author) => ({ author }));
        return [{ source, entity: pickEntity() }];
    });
}
/** SQL counting the stored events a client with these subscriptions must receive (OR of ANDs). */
export function expectedCountSql(subs) {
    const params = [];
    const p = (v) => (params.push(v), `$${params.length}`);
    const ors = subs.map((f) => {
        const ands = [];
        if (f.source !== undefined)
            ands.push(`source = ${p(f.source)}`);
        if (f.author !== undefined)
            ands.push(`author = ${p(f.author)}`);
        if (f.entity !== undefined)
            ands.push(`entities @> ARRAY[${p(f.entity)}]::text[]`);
        return ands.length ? `(${ands.join(' AND ')})` : 'true';
    });
    return { sql: `SELECT count(*)::text AS n FROM events WHERE ${ors.join(' OR ') || 'false'}`, params };
}
//# sourceMappingURL=fanout-profiles.js.map