import { WebSocketServer } from 'ws';
/** Keep this much queued on a socket so the client never waits on us; above it, wait. */
const HIGH_WATER = 8 << 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * A Jetstream-protocol WebSocket server on 127.0.0.1 that streams `frames` (each a JSON text
 * frame, pre-encoded) to every connection from the first, as fast as the client reads them: it
 * stops sending while more than 8 MiB sit in the socket's send buffer (TCP backpressure from a
 * client that paused reading). `onSent` is called once a connection has been fully written.
 */
export async function serveFrames(frames, onSent) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) => void stream(ws, frames, onSent));
    const { port } = wss.address();
    return {
        port,
        url: `ws://127.0.0.1:${port}`,
        close: async () => {
            for (const c of wss.clients)
                c.terminate();
            await new Promise((r) => wss.close(() => r()));
        },
    };
}
async function stream(ws, frames, onSent) {
    const t0 = performance.now();
    for (let i = 0; i < frames.length && ws.readyState === ws.OPEN; i++) {
        ws.send(frames[i], { binary: false });
        if ((i & 127) === 127)
            while (ws.bufferedAmount > HIGH_WATER && ws.readyState === ws.OPEN)
                await sleep(1);
    }
    if (ws.readyState === ws.OPEN)
        onSent?.(performance.now() - t0);
}
//# sourceMappingURL=jetstream-feeder.js.map