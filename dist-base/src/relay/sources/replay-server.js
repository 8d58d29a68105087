import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';
/**
 * A Jetstream-compatible WebSocket server that replays a file: the embedded demo source. It
 * honours `?cursor=<time_us>` like the real service, so the relay's resume path is exercised
 * even in the demo.
 */
export class ReplayServer {
    opts;
    wss;
    frames;
    spanUs;
    constructor(opts) {
        this.opts = opts;
        this.frames = readFileSync(opts.file, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .map((line) => ({ line, timeUs: Number(/"time_us":(\d+)/.exec(line)?.[1] ?? 0) }));
        if (!this.frames.length)
            throw new Error(`replay file ${opts.file} has no frames`);
        this.spanUs = this.frames[this.frames.length - 1].timeUs - this.frames[0].timeUs + 1_000_000;
    }
    async start() {
        this.wss = new WebSocketServer({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port ?? 0 });
        await new Promise((resolve, reject) => {
            this.wss.once('listening', resolve);
            this.wss.once('error', reject); // e.g. the port is taken
        });
        // A misbehaving client (bad frame, reset) must never become an uncaught exception in the relay.
        this.wss.on('error', () => undefined);
        this.wss.on('connection', (ws, req) => {
            ws.on('error', () => ws.terminate());
            const cursor = Number(new URL(req.url ?? '/', 'ws://x').searchParams.get('cursor') ?? NaN);
            void this.stream(ws, Number.isFinite(cursor) ? cursor : undefined);
        });
        const { port } = this.wss.address();
        return `ws://127.0.0.1:${port}`;
    }
    async stop() {
        if (!this.wss)
            return;
        for (const c of this.wss.clients)
            c.terminate();
        await new Promise((r) => this.wss.close(() => r()));
    }
    /** Frame `i` of the endless sequence (loop `n` = i / length) with its time shifted. */
    frameAt(i) {
        const n = Math.floor(i / this.frames.length);
        const f = this.frames[i % this.frames.length];
        if (n === 0)
            return f;
        const timeUs = f.timeUs + n * this.spanUs;
        const line = f.line
            .replace(/"time_us":\d+/, `"time_us":${timeUs}`)
            .replace(/"rkey":"([^"]+)"/, `"rkey":"$1l${n}"`);
        return { timeUs, line };
    }
    firstIndexAtOrAfter(cursor) {
        const loops = Math.max(0, Math.floor((cursor - this.frames[0].timeUs) / this.spanUs));
        if (!this.opts.loop && loops > 0)
            return this.frames.length;
        let i = loops * this.frames.length;
        while (this.frameAt(i).timeUs < cursor && (this.opts.loop || i < this.frames.length))
            i++;
        return i;
    }
    async stream(ws, cursor) {
        let i = cursor === undefined ? 0 : this.firstIndexAtOrAfter(cursor);
        const perTick = this.opts.rate > 0 ? Math.max(1, Math.round(this.opts.rate / 50)) : 256;
        const tickMs = this.opts.rate > 0 ? (perTick / this.opts.rate) * 1000 : 0;
        while (ws.readyState === ws.OPEN && (this.opts.loop || i < this.frames.length)) {
            const started = Date.now();
            for (let k = 0; k < perTick && (this.opts.loop || i < this.frames.length); k++, i++)
                ws.send(this.frameAt(i).line);
            // Respect the client's pace: wait while the socket's send buffer is full.
            while (ws.bufferedAmount > 1 << 20 && ws.readyState === ws.OPEN)
                await sleep(5);
            const wait = tickMs - (Date.now() - started);
            await sleep(wait > 0 ? wait : 0);
        }
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
//# sourceMappingURL=replay-server.js.map