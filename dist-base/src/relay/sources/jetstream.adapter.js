import { extractEntities } from '../extract-entities.js';
import { decodeJsonFrame, isSaneTime } from './frame-checks.js';
/**
 * Bluesky Jetstream: JSON frames `{did, time_us, kind, commit: {operation, collection, rkey,
 * record}}`. The cursor is `time_us`; on reconnect the server replays from `?cursor=`.
 */
export class JetstreamAdapter {
    cfg;
    maxFrameBytes;
    resumable;
    constructor(cfg, maxFrameBytes) {
        this.cfg = cfg;
        this.maxFrameBytes = maxFrameBytes;
        this.resumable = cfg.resume;
    }
    get name() {
        return this.cfg.name;
    }
    connectUrl(cursor) {
        const u = new URL(this.cfg.url);
        if (!u.pathname.endsWith('/subscribe'))
            u.pathname = `${u.pathname.replace(/\/+$/, '')}/subscribe`;
        for (const c of this.cfg.collections)
            u.searchParams.append('wantedCollections', c);
        if (cursor && this.resumable)
            u.searchParams.set('cursor', cursor);
        return u.toString();
    }
    cursorTime(cursor) {
        const us = Number(cursor);
        return Number.isFinite(us) ? new Date(Math.floor(us / 1000)) : undefined;
    }
    rewind(cursor, overlapMs) {
        return String(Math.max(0, Number(cursor) - overlapMs * 1000));
    }
    parse(frame) {
        const decoded = decodeJsonFrame(frame, this.maxFrameBytes);
        if (!('ok' in decoded))
            return decoded;
        const f = decoded.value;
        if (!f || typeof f !== 'object' || Array.isArray(f))
            return bad('frame is not a JSON object');
        if (typeof f.did !== 'string' || !/^did:[a-z]+:[\w.:%-]{1,256}$/.test(f.did))
            return bad('missing or invalid "did"');
        if (!Number.isSafeInteger(f.time_us) || f.time_us <= 0)
            return bad('missing or invalid "time_us"');
        const cursor = String(f.time_us);
        if (f.kind !== 'commit') {
            return f.kind === 'identity' || f.kind === 'account' ? { kind: 'skip', cursor } : bad(`unknown kind ${JSON.stringify(f.kind)}`);
        }
        const c = f.commit;
        if (!c || typeof c !== 'object')
            return bad('commit frame without "commit"');
        if (c.operation !== 'create' || c.collection !== 'app.bsky.feed.post')
            return { kind: 'skip', cursor };
        // Record keys per the AT Protocol spec; anything else cannot be a dedupe key we trust.
        if (typeof c.rkey !== 'string' || !/^[A-Za-z0-9._:~-]{1,512}$/.test(c.rkey) || c.rkey === '.' || c.rkey === '..')
            return bad('missing or invalid "rkey"');
        const rec = c.record;
        if (!rec || typeof rec !== 'object' || typeof rec.text !== 'string')
            return bad('post without record.text');
        if (!isSaneTime(f.time_us / 1000)) {
            return { kind: 'bad', reason: 'absurd_timestamp', detail: `time_us ${f.time_us} is outside 2000..now+1d` };
        }
        // Prefer the author's createdAt when it is sane; clients lie about it more often than relays do.
        const claimed = typeof rec.createdAt === 'string' ? Date.parse(rec.createdAt) : NaN;
        const createdAt = new Date(isSaneTime(claimed) ? claimed : Math.floor(f.time_us / 1000));
        return {
            kind: 'event',
            event: {
                source: this.cfg.name,
                sourceEventId: `${f.did}/${c.collection}/${c.rkey}`,
                author: f.did,
                // Postgres text cannot hold NUL; a post is capped so one frame cannot bloat a row.
                text: rec.text.replace(/\u0000/g, '').slice(0, 10_000),
                createdAt,
                entities: extractEntities(rec.text),
                lang: Array.isArray(rec.langs) && typeof rec.langs[0] === 'string' && /^[A-Za-z0-9-]{1,16}$/.test(rec.langs[0]) ? rec.langs[0] : undefined,
                cursor,
            },
        };
    }
}
const bad = (detail) => ({ kind: 'bad', reason: 'wrong_shape', detail });
//# sourceMappingURL=jetstream.adapter.js.map