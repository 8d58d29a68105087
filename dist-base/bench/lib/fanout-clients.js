/**
 * bench:fanout's socket.io load clients, forked by bench/fanout.ts (several processes, each with
 * a share of the clients, so no single client event loop becomes the bottleneck being measured).
 *
 * Each client speaks the socket.io v4 / engine.io v4 wire protocol over a minimal WebSocket
 * client (RawWs). socket.io-client would JSON.parse every packet in every client — 1000 × ~2 MB/s
 * on 2 shared cores would measure the bench, not Sift — so:
 *   · every client reads every packet, checks ids (firehose clients: contiguous; filtered ones:
 *     increasing, count checked against the database afterwards) and takes the first and last
 *     event's createdAt with a byte search, giving a per-packet latency sample for every client
 *     (a packet's first event is its oldest, so that sample bounds the packet's events from above);
 *   · probe clients also JSON.parse every packet and sample every event.
 * The child returns raw samples; the orchestrator merges the processes and computes the figures.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
const EVENTS_PREFIX = Buffer.from('42["events",[');
const ID_KEY = Buffer.from('{"id":"');
const CREATED_KEY = Buffer.from('"createdAt":"');
/**
 * A deliberately minimal RFC 6455 client over a TCP socket, for the load clients: it never
 * assembles a whole message. Every socket reads into one shared, reused buffer (`onread`, so no
 * per-read allocation and no GC churn at GB/s); each client keeps copies of only the first HEAD
 * and the last TAIL bytes of the message in progress. Only `full` clients (the probes) keep the
 * whole message. The kernel's copy is then nearly the only per-byte work, so 1000 clients reading
 * ~2 MB/s each stay cheap next to the server under test. Handlers must not keep the buffers.
 */
const HEAD = 2048;
const TAIL = 4096;
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
class RawWs {
    full;
    on;
    sock;
    http = Buffer.alloc(0);
    hdr = Buffer.alloc(14);
    hdrLen = 0;
    need = 0; // payload bytes left in the current frame
    opcode = 0;
    fin = false;
    control = [];
    head = Buffer.allocUnsafe(HEAD);
    headLen = 0;
    tail = Buffer.allocUnsafe(TAIL);
    tailLen = 0;
    parts = [];
    msgLen = 0;
    closed = false;
    constructor(url, full, on) {
        this.full = full;
        this.on = on;
        const u = new URL(url);
        this.sock = connect({ host: u.hostname, port: Number(u.port), onread: { buffer: READ_BUFFER, callback: (n) => (this.onData(READ_BUFFER.subarray(0, n)), true) } }, () => {
            this.sock.setNoDelay(true);
            this.sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        });
        this.sock.on('error', (err) => this.close(err.message));
        this.sock.on('close', () => this.close('socket closed'));
    }
    /** A text frame, masked (as clients must) with a zero key. */
    send(text, opcode = 1) {
        const payload = Buffer.from(text);
        const len = payload.length;
        const h = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len, 0, 0, 0, 0]) : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255, 0, 0, 0, 0]);
        if (!this.closed)
            this.sock.write(Buffer.concat([h, payload]));
    }
    terminate() {
        this.closed = true;
        this.sock.destroy();
    }
    close(why) {
        if (this.closed)
            return;
        this.closed = true;
        this.sock.destroy();
        this.on.close(why);
    }
    onData(d) {
        if (this.http) {
            const all = Buffer.concat([this.http, d]); // a copy: `d` is the shared read buffer
            const end = all.indexOf('\r\n\r\n');
            if (end < 0) {
                this.http = all;
                return;
            }
            if (!all.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101'))
                return this.close(`upgrade refused: ${all.subarray(0, end).toString().split('\r\n')[0]}`);
            this.http = undefined;
            this.on.open();
            d = all.subarray(end + 4);
        }
        let i = 0;
        while (i < d.length && !this.closed) {
            if (this.need === 0 && this.hdrLen >= 0) {
                // Frame header: 2 bytes, then 0/2/8 bytes of extended length (servers do not mask).
                while (i < d.length && this.hdrLen < 2)
                    this.hdr[this.hdrLen++] = d[i++];
                if (this.hdrLen < 2)
                    return;
                const l7 = this.hdr[1] & 0x7f;
                const want = 2 + (l7 === 126 ? 2 : l7 === 127 ? 8 : 0);
                while (i < d.length && this.hdrLen < want)
                    this.hdr[this.hdrLen++] = d[i++];
                if (this.hdrLen < want)
                    return;
                this.fin = (this.hdr[0] & 0x80) !== 0;
                const op = this.hdr[0] & 0x0f;
                if (op !== 0)
                    this.opcode = op;
                this.need = l7 === 126 ? this.hdr.readUInt16BE(2) : l7 === 127 ? Number(this.hdr.readBigUInt64BE(2)) : l7;
                this.hdrLen = -1; // header consumed: reading payload
                if (this.need === 0)
                    this.endFrame(op);
                continue;
            }
            const take = Math.min(this.need, d.length - i);
            this.payload(d.subarray(i, i + take));
            i += take;
            this.need -= take;
            if (this.need === 0)
                this.endFrame(this.hdr[0] & 0x0f);
        }
    }
    payload(p) {
        if ((this.hdr[0] & 0x0f) >= 8) {
            this.control.push(Buffer.from(p));
            return;
        }
        this.msgLen += p.length;
        if (this.headLen < HEAD)
            this.headLen += p.copy(this.head, this.headLen, 0, Math.min(p.length, HEAD - this.headLen));
        if (this.full)
            this.parts.push(Buffer.from(p));
        // Keep the last TAIL bytes of the message.
        if (p.length >= TAIL) {
            p.copy(this.tail, 0, p.length - TAIL);
            this.tailLen = TAIL;
        }
        else {
            const keep = Math.min(this.tailLen, TAIL - p.length);
            if (keep < this.tailLen)
                this.tail.copyWithin(0, this.tailLen - keep, this.tailLen);
            p.copy(this.tail, keep);
            this.tailLen = keep + p.length;
        }
    }
    endFrame(op) {
        this.hdrLen = 0;
        if (op >= 8) {
            const body = Buffer.concat(this.control);
            this.control = [];
            if (op === 9)
                this.sendControl(10, body);
            else if (op === 8)
                this.close(`close frame ${body.length >= 2 ? body.readUInt16BE(0) : ''}`);
            return;
        }
        if (!this.fin)
            return;
        const m = { head: this.head.subarray(0, this.headLen), tail: this.tail.subarray(0, this.tailLen), length: this.msgLen, full: this.full ? Buffer.concat(this.parts) : undefined };
        this.headLen = 0;
        this.tailLen = 0;
        this.parts = [];
        this.msgLen = 0;
        this.on.message(m);
    }
    sendControl(op, body) {
        if (!this.closed)
            this.sock.write(Buffer.concat([Buffer.from([0x80 | op, 0x80 | body.length, 0, 0, 0, 0]), body]));
    }
}
function readId(buf, at) {
    let n = 0;
    for (let i = at; i < buf.length; i++) {
        const c = buf[i];
        if (c < 48 || c > 57)
            break;
        n = n * 10 + (c - 48);
    }
    return n;
}
/** Occurrences of `key` in `buf` (`{"id":"` cannot occur inside a JSON string: quotes are escaped). */
function countOf(buf, key) {
    let n = 0;
    for (let at = buf.indexOf(key); at >= 0; at = buf.indexOf(key, at + key.length))
        n++;
    return n;
}
function runClients() {
    const clients = [];
    let window = { start: Infinity, end: -Infinity };
    let overflowMessages = 0;
    const perEvent = [];
    const relayPart = [];
    const deliverPart = [];
    const batchFirst = [];
    const batchLast = [];
    const batchRecv = new Map();
    let probeCountMismatches = 0;
    let probeFirstNotOldest = 0;
    const eld = monitorEventLoopDelay({ resolution: 10 });
    let cpu0 = process.cpuUsage();
    let cpuT0 = performance.now();
    let cpuCores = NaN;
    const connectErrors = [];
    let headMisses = 0;
    const onEvents = (c, m, now) => {
        const { head, tail } = m;
        const firstId = readId(head, EVENTS_PREFIX.length + ID_KEY.length);
        const lastIdAt = tail.lastIndexOf(ID_KEY);
        const lastId = lastIdAt >= 0 ? readId(tail, lastIdAt + ID_KEY.length) : firstId;
        // Firehose packets hold a contiguous id range; filtered ones are counted (they keep `full`).
        const n = c.firehose ? lastId - firstId + 1 : countOf(m.full, ID_KEY);
        if (c.lastId && firstId <= c.lastId)
            c.dupes++;
        else if (c.firehose && c.lastId && firstId !== c.lastId + 1)
            c.gaps += firstId - c.lastId - 1;
        c.lastId = Math.max(c.lastId, lastId);
        c.received += n;
        if (now >= window.start && now < window.end) {
            c.inWindowByReceipt += n;
            c.bytesInWindow += m.length;
        }
        const fKey = head.indexOf(CREATED_KEY, EVENTS_PREFIX.length);
        const lKey = tail.lastIndexOf(CREATED_KEY);
        if (fKey < 0 || lKey < 0 || fKey + CREATED_KEY.length + 24 > head.length) {
            headMisses++;
            return;
        }
        const fAt = fKey + CREATED_KEY.length;
        const firstSent = Date.parse(head.toString('latin1', fAt, fAt + 24));
        if (firstSent >= window.start && firstSent < window.end) {
            const lAt = lKey + CREATED_KEY.length;
            batchFirst.push(now - firstSent);
            batchLast.push(now - Date.parse(tail.toString('latin1', lAt, lAt + 24)));
            if (c.firehose) {
                const r = batchRecv.get(firstId);
                if (!r)
                    batchRecv.set(firstId, [firstId, n, now, now]);
                else {
                    if (now < r[2])
                        r[2] = now;
                    if (now > r[3])
                        r[3] = now;
                }
            }
        }
        if (!c.probe || !m.full)
            return;
        const [, events] = JSON.parse(m.full.toString('utf8', 2));
        if (events.length !== n)
            probeCountMismatches++;
        let oldest = Infinity;
        for (const e of events) {
            const sent = Date.parse(e.createdAt);
            if (sent < oldest)
                oldest = sent;
            if (sent < window.start || sent >= window.end)
                continue;
            const ing = Date.parse(e.ingestedAt);
            perEvent.push(now - sent);
            relayPart.push(ing - sent);
            deliverPart.push(now - ing);
            c.probeInWindow++;
        }
        if (oldest !== firstSent)
            probeFirstNotOldest++;
    };
    const connectOne = (spec, url, key) => new Promise((resolveConnected) => {
        let c;
        let settled = false;
        const fail = (why) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timeout);
            if (connectErrors.length < 10)
                connectErrors.push(`client ${spec.i}: ${why}`);
            resolveConnected();
        };
        const firehose = spec.subscriptions === undefined;
        const auth = JSON.stringify(firehose ? { key } : { key, subscriptions: spec.subscriptions });
        const ws = new RawWs(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, spec.probe || !firehose, {
            open: () => undefined,
            close: (why) => {
                if (c.connected && !c.closing)
                    c.dropped = true;
                if (!c.connected)
                    fail(why);
            },
            message: (m) => {
                const now = Date.now();
                const h = m.head;
                const t = h[0];
                if (t === 0x34 /* '4' engine.io message */) {
                    const k = h[1];
                    if (k === 0x32 /* '2' socket.io event */) {
                        if (h.subarray(0, EVENTS_PREFIX.length).equals(EVENTS_PREFIX))
                            onEvents(c, m, now);
                        else if (h.includes('"overflow"')) {
                            overflowMessages++;
                            c.dropped = true;
                        }
                    }
                    else if (k === 0x30 /* '0' connect ack */) {
                        c.connected = true;
                        settled = true;
                        clearTimeout(timeout);
                        resolveConnected();
                    }
                    else if (k === 0x34 /* '4' connect error */)
                        fail(h.toString('utf8', 2, 200));
                    else if (k === 0x31 /* '1' disconnect */ && !c.closing)
                        c.dropped = true;
                }
                else if (t === 0x32 /* '2' ping */)
                    ws.send('3');
                else if (t === 0x30 /* '0' open */)
                    ws.send(`40${auth}`);
            },
        });
        c = { i: spec.i, probe: spec.probe, firehose, ws, connected: false, dropped: false, closing: false, lastId: 0, received: 0, inWindowByReceipt: 0, bytesInWindow: 0, gaps: 0, dupes: 0, probeInWindow: 0 };
        clients.push(c);
        const timeout = setTimeout(() => (fail('handshake timeout'), ws.terminate()), 30_000);
    });
    process.on('message', async (m) => {
        const reply = (body) => process.send({ type: 'reply', id: m.id, ...body });
        if (m.cmd === 'connect') {
            const specs = m.specs;
            for (let i = 0; i < specs.length; i += m.concurrency)
                await Promise.all(specs.slice(i, i + m.concurrency).map((s) => connectOne(s, m.url, m.key)));
            reply({ connected: clients.filter((c) => c.connected).length, errors: connectErrors });
        }
        else if (m.cmd === 'window') {
            window = { start: m.start, end: m.end };
            setTimeout(() => {
                eld.reset();
                eld.enable();
                cpu0 = process.cpuUsage();
                cpuT0 = performance.now();
            }, Math.max(0, m.start - Date.now()));
            setTimeout(() => {
                eld.disable();
                const d = process.cpuUsage(cpu0);
                cpuCores = (d.user + d.system) / 1000 / (performance.now() - cpuT0);
            }, Math.max(0, m.end - Date.now()));
            reply({});
        }
        else if (m.cmd === 'progress') {
            const live = clients.filter((c) => c.connected && !c.dropped && c.firehose);
            reply({ live: live.length, minLastId: live.length ? Math.min(...live.map((c) => c.lastId)) : Infinity });
        }
        else if (m.cmd === 'collect') {
            const result = {
                clients: clients.map(({ ws: _ws, closing: _c, ...s }) => s),
                connectErrors,
                overflowMessages,
                perEvent,
                relayPart,
                deliverPart,
                batchFirst,
                batchLast,
                batchRecv: [...batchRecv.values()],
                probeCountMismatches,
                probeFirstNotOldest,
                headMisses,
                eventLoop: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
                cpuCores,
            };
            reply({ result });
        }
        else if (m.cmd === 'close') {
            for (const c of clients) {
                c.closing = true;
                c.ws.terminate();
            }
            reply({});
            setTimeout(() => process.exit(0), 50);
        }
    });
    process.on('disconnect', () => process.exit(0));
}
runClients();
//# sourceMappingURL=fanout-clients.js.map