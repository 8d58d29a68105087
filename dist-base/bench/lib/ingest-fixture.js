/**
 * Child process of bench/ingest.ts: everything that is not the relay under test, so the relay's
 * process holds (and is measured with) nothing but the relay.
 *
 * - generates the N Jetstream post frames (deterministic, from the seed) and serves them over a
 *   local WebSocket ({@link serveFrames}); in production the firehose is another machine, so its
 *   CPU must not land on the relay's event loop either;
 * - turns the same frames into rows with the relay's own JetstreamAdapter and pre-encodes them as
 *   COPY text, then runs the COPY baseline on request;
 * - measures the relay's per-event CPU steps in isolation (no I/O).
 *
 * IPC: ← {cmd:'init', count, seed, source, maxFrameBytes, batch}
 *      → {type:'ready', port, frames, bytes, entitiesPerEvent, micro}
 *      ← {cmd:'connect', id, url}     → {type:'connected', id}
 *      ← {cmd:'copy', id, url, sql}   → {type:'copied', id, rows, ms}
 *      ← {cmd:'close', id, url}       → {type:'closed', id}            (any: {type:'error', id, message})
 */
import pg from 'pg';
import { extractEntities } from '../../src/relay/extract-entities.js';
import { pgTextArray } from '../../src/events/events.repository.js';
import { JetstreamAdapter } from '../../src/relay/sources/jetstream.adapter.js';
import { serveFrames } from './jetstream-feeder.js';
import { makePostFrames } from './jetstream-frames.js';
import { copyFrom, encodeCopyText } from './pg-copy.js';
const send = (m) => process.send?.(m);
function microCosts(adapter, frames, events, batch) {
    // Best of 3 after a warm-up pass (JIT, and GC noise from the generator's garbage).
    const time = (fn) => {
        fn();
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
            const t = performance.now();
            fn();
            best = Math.min(best, performance.now() - t);
        }
        return (best * 1000) / frames.length;
    };
    return {
        parseUs: time(() => {
            for (const f of frames)
                adapter.parse(f);
        }),
        jsonUs: time(() => {
            for (const f of frames)
                JSON.parse(f.toString('utf8'));
        }),
        entitiesUs: time(() => {
            for (const e of events)
                extractEntities(e.text);
        }),
        // What EventsRepository.writeBatch builds before pg serializes the arrays.
        paramsUs: time(() => {
            for (let i = 0; i < events.length; i += batch) {
                const b = events.slice(i, i + batch);
                b.map((e) => e.sourceEventId);
                b.map((e) => e.author);
                b.map((e) => e.text);
                b.map((e) => pgTextArray(e.entities));
                b.map((e) => e.lang ?? null);
                b.map((e) => e.createdAt.toISOString());
            }
        }),
    };
}
async function init(m) {
    const frames = makePostFrames(m.count, m.seed).map((l) => Buffer.from(l, 'utf8'));
    const adapter = new JetstreamAdapter({ name: m.source, url: 'ws://unused', collections: ['app.bsky.feed.post'], resume: true }, m.maxFrameBytes);
    const events = frames.map((f) => {
        const r = adapter.parse(f);
        if (r.kind !== 'event')
            throw new Error(`generated frame did not parse to an event: ${JSON.stringify(r)}`);
        return r.event;
    });
    // Exactly the rows the relay stores, in COPY text format, encoded once up front.
    const chunks = encodeCopyText(events.map((e) => [m.source, e.sourceEventId, e.author, e.text, pgTextArray(e.entities), e.lang ?? null, e.createdAt.toISOString()]));
    const micro = microCosts(adapter, frames, events, m.batch);
    const entitiesPerEvent = events.reduce((a, e) => a + e.entities.length, 0) / events.length;
    events.length = 0;
    const feeder = await serveFrames(frames);
    // One COPY client per database, connected ahead of the timed COPY ('connect') and kept open, so
    // the parent can account its backend's CPU and the timing holds no connection set-up.
    const clients = new Map();
    const client = async (url) => {
        let c = clients.get(url);
        if (!c) {
            c = new pg.Client({ connectionString: url, application_name: 'sift-bench-copy' });
            c.on('error', () => clients.delete(url)); // the next COPY reconnects; the failed one reports
            await c.connect();
            clients.set(url, c);
        }
        return c;
    };
    process.on('message', (c) => {
        void (async () => {
            if (c.cmd === 'connect') {
                await client(c.url);
                send({ type: 'connected', id: c.id });
            }
            else if (c.cmd === 'close') {
                await clients.get(c.url)?.end();
                clients.delete(c.url);
                send({ type: 'closed', id: c.id });
            }
            else if (c.cmd === 'copy') {
                const cl = await client(c.url);
                const t0 = performance.now();
                const rows = await copyFrom(cl, c.sql, chunks);
                send({ type: 'copied', id: c.id, rows, ms: performance.now() - t0 });
            }
        })().catch((err) => send({ type: 'error', id: c.id, message: err.message }));
    });
    process.on('disconnect', () => void feeder.close().finally(() => process.exit(0)));
    const ready = { type: 'ready', port: feeder.port, frames: frames.length, bytes: frames.reduce((a, f) => a + f.length, 0), entitiesPerEvent, micro };
    send(ready);
}
process.once('message', (m) => {
    init(m).catch((err) => {
        process.stderr.write(`ingest fixture: ${err.stack ?? err.message}\n`);
        process.exit(1);
    });
});
//# sourceMappingURL=ingest-fixture.js.map