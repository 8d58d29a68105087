const SOURCE = /^[a-z][a-z0-9_-]{0,31}$/;
const ENTITY = /^[$#@]?[\p{L}\p{N}_.-]{1,200}$/u;
/** Validates a client's filter; returns the normalised filter or a message saying what to fix. */
export function parseFilter(input) {
    if (input === null || typeof input !== 'object' || Array.isArray(input))
        return { ok: false, error: 'filter must be an object like {"entity":"$btc"}' };
    const f = input;
    const unknown = Object.keys(f).filter((k) => !['source', 'entity', 'author', 'semantic'].includes(k));
    if (unknown.length)
        return { ok: false, error: `unknown filter field(s) ${unknown.join(', ')}: use source, entity, author, semantic` };
    const out = {};
    if (f.source !== undefined) {
        if (typeof f.source !== 'string' || !SOURCE.test(f.source))
            return { ok: false, error: 'source must be a source name like "demo"' };
        out.source = f.source;
    }
    if (f.entity !== undefined) {
        if (typeof f.entity !== 'string' || !ENTITY.test(f.entity))
            return { ok: false, error: 'entity must look like $btc, #ai, @alice.bsky.social or example.com' };
        out.entity = f.entity.toLowerCase();
    }
    if (f.author !== undefined) {
        if (typeof f.author !== 'string' || !f.author || f.author.length > 300)
            return { ok: false, error: 'author must be a non-empty string up to 300 chars' };
        out.author = f.author;
    }
    if (f.semantic !== undefined) {
        const s = f.semantic;
        if (!s || typeof s !== 'object' || typeof s.q !== 'string' || !s.q.trim() || s.q.length > 500) {
            return { ok: false, error: 'semantic must be {"q": "text up to 500 chars", "threshold": 0..1}' };
        }
        if (typeof s.threshold !== 'number' || !(s.threshold >= 0 && s.threshold <= 1))
            return { ok: false, error: 'semantic.threshold must be a number from 0 to 1' };
        out.semantic = { q: s.q, threshold: s.threshold };
    }
    return { ok: true, filter: out };
}
const cosine = (a, b) => {
    let dot = 0;
    for (let i = 0; i < a.length; i++)
        dot += a[i] * b[i]; // both are unit length
    return dot;
};
export const matches = (f, e, vectorOf) => (f.source === undefined || e.source === f.source) &&
    (f.author === undefined || e.author === f.author) &&
    (f.entity === undefined || e.entities.includes(f.entity)) &&
    (f.semantic === undefined || semanticMatch(f, e, vectorOf));
function semanticMatch(f, e, vectorOf) {
    const v = vectorOf?.(e);
    return !!(f.vector && v && v.length === f.vector.length && cosine(f.vector, v) >= f.semantic.threshold);
}
/** The index key a filter is filed under: its most selective field. */
function indexKey(f) {
    if (f.entity !== undefined)
        return `e:${f.entity}`;
    if (f.author !== undefined)
        return `a:${f.author}`;
    if (f.source !== undefined)
        return `s:${f.source}`;
    return f.semantic !== undefined ? '~' : '*';
}
function eventKeys(e) {
    return ['*', '~', `s:${e.source}`, `a:${e.author}`, ...e.entities.map((x) => `e:${x}`)];
}
/**
 * Which subscriber gets which events. Filters are indexed by their most selective field, so a
 * batch costs (events × matching filters), not (events × all subscribers).
 */
export class SubscriptionIndex {
    byKey = new Map();
    /** Live semantic filters: when 0, batches are routed without embedding them. */
    semanticCount = 0;
    add(client, id, f) {
        if (f.semantic)
            this.semanticCount++;
        const key = indexKey(f);
        let clients = this.byKey.get(key);
        if (!clients)
            this.byKey.set(key, (clients = new Map()));
        let filters = clients.get(client);
        if (!filters)
            clients.set(client, (filters = new Map()));
        filters.set(id, f);
    }
    remove(client, id, f) {
        const key = indexKey(f);
        if (f.semantic && this.byKey.get(key)?.get(client)?.has(id))
            this.semanticCount--;
        const clients = this.byKey.get(key);
        const filters = clients?.get(client);
        filters?.delete(id);
        if (filters && !filters.size)
            clients.delete(client);
        if (clients && !clients.size)
            this.byKey.delete(key);
    }
    /** Per client, the events of `batch` it should get, in batch order, each once. */
    route(batch, vectorOf) {
        const out = new Map();
        // Firehose subscribers get the batch array itself: no per-event work for them at all.
        const everything = this.byKey.get('*');
        if (everything)
            for (const client of everything.keys())
                out.set(client, batch);
        for (const e of batch) {
            for (const key of eventKeys(e)) {
                if (key === '*')
                    continue;
                const clients = this.byKey.get(key);
                if (!clients)
                    continue;
                for (const [client, filters] of clients) {
                    if (everything?.has(client))
                        continue;
                    let list = out.get(client);
                    if (list && list[list.length - 1] === e)
                        continue; // already matched via another key
                    for (const f of filters.values()) {
                        if (!matches(f, e, vectorOf))
                            continue;
                        if (!list)
                            out.set(client, (list = []));
                        list.push(e);
                        break;
                    }
                }
            }
        }
        return out;
    }
    /** Number of index keys (for the soak test: must not grow with churn). */
    get size() {
        return this.byKey.size;
    }
}
//# sourceMappingURL=subscriptions.js.map