import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import { metrics } from '../../libs/observability/index.js';
import { Backoff } from './backoff.js';
import { retryAfterMs } from '../../libs/common/http.js';
export const CONNECTION_STATES = ['idle', 'connecting', 'connected', 'backing-off', 'auth-failed', 'stopped'];
/** Close codes that mean the server is telling us to go away, not that the network blinked. */
const SERVER_KICK = new Set([1008, 1013, 4000, 4001, 4003, 4008, 4029]);
const KICK_MIN_DELAY_MS = 5_000;
const MAX_SERVER_DELAY_MS = 3_600_000;
/**
 * One WebSocket to a source, kept alive: reconnects with full-jitter backoff, tells a kick
 * (policy close codes, 401/403/429 on upgrade, Retry-After) from a hiccup (reset, timeout), and
 * runs a watchdog so a silently dead socket (no frame and no pong) is noticed.
 */
export class SourceConnection {
    o;
    log;
    ws;
    backoff;
    timer;
    watchdog;
    healthyTimer;
    lastSeen = 0;
    paused = false;
    everConnected = false;
    state = 'idle';
    reconnects = 0;
    lastFrameAt;
    lastError;
    nextAttemptAt;
    constructor(o) {
        this.o = o;
        this.log = new Logger(`Source:${o.name}`);
        this.backoff = new Backoff(o.backoffBaseMs, o.backoffMaxMs, o.random);
        this.setState('idle');
    }
    start() {
        if (this.state === 'idle' || this.state === 'stopped')
            void this.connect();
    }
    async stop() {
        this.setState('stopped');
        clearTimeout(this.timer);
        clearInterval(this.watchdog);
        clearTimeout(this.healthyTimer);
        const ws = this.ws;
        this.ws = undefined;
        if (ws && ws.readyState !== WebSocket.CLOSED) {
            await new Promise((r) => {
                ws.once('close', () => r());
                ws.close(1000, 'shutdown');
                setTimeout(() => (ws.terminate(), r()), 1000).unref();
            });
        }
    }
    /** Backpressure: stop reading from the socket (TCP then pushes back on the server). */
    pause() {
        if (this.paused)
            return;
        this.paused = true;
        this.ws?.pause();
    }
    resume() {
        if (!this.paused)
            return;
        this.paused = false;
        this.lastSeen = Date.now();
        this.ws?.resume();
    }
    setState(s) {
        this.state = s;
        for (const st of CONNECTION_STATES)
            metrics.sourceState.set({ source: this.o.name, state: st }, st === s ? 1 : 0);
    }
    async connect() {
        if (this.state === 'stopped')
            return;
        this.setState('connecting');
        let url;
        try {
            url = await this.o.url();
        }
        catch (err) {
            // The pre-connect handshake failed: refused credentials or a bad key back off like a kick;
            // an unreachable auth endpoint is a network hiccup.
            const e = err;
            const refused = e.name === 'SourceAuthError' || e.name === 'KeyEncodingError';
            if (refused)
                this.fail('auth', e.message, Math.max(e.retryAfterMs ?? 0, KICK_MIN_DELAY_MS), true);
            else
                this.fail('network', e.message, e.retryAfterMs ?? 0);
            return;
        }
        if (this.state === 'stopped')
            return;
        const ws = new WebSocket(url, {
            handshakeTimeout: 10_000,
            maxPayload: 16 * 1024 * 1024,
            // Frames are validated (UTF-8 included) and quarantined by the adapter. Letting ws check
            // UTF-8 would close the socket (1007) on one bad text frame, and a resumable source would
            // replay that same frame on every reconnect: ingest stuck forever.
            skipUTF8Validation: true,
        });
        this.ws = ws;
        let kicked;
        ws.on('unexpected-response', (_req, res) => {
            const status = res.statusCode ?? 0;
            const retryAfter = retryAfterMs(res.headers['retry-after']);
            kicked = {
                minMs: Math.max(retryAfter ?? 0, status === 429 || status === 401 || status === 403 ? KICK_MIN_DELAY_MS : 0),
                why: `HTTP ${status} on upgrade`,
                auth: status === 401 || status === 403,
            };
            res.resume();
            ws.terminate();
        });
        ws.on('open', () => {
            const reconnect = this.everConnected;
            this.everConnected = true;
            this.setState('connected');
            this.lastSeen = Date.now();
            this.lastError = undefined;
            if (this.paused)
                ws.pause();
            this.o.onOpen?.(reconnect);
            this.log.log({ msg: reconnect ? 'reconnected' : 'connected', source: this.o.name, reconnects: this.reconnects });
            this.startWatchdog(ws);
            this.healthyTimer = setTimeout(() => this.backoff.reset(), this.o.healthyResetMs);
        });
        ws.on('message', (data) => {
            this.lastSeen = Date.now();
            this.lastFrameAt = new Date(this.lastSeen);
            this.o.onFrame(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
        });
        ws.on('pong', () => (this.lastSeen = Date.now()));
        ws.on('error', (err) => (this.lastError = err.message));
        ws.on('close', (code, reasonBuf) => {
            if (this.ws !== ws)
                return;
            clearInterval(this.watchdog);
            clearTimeout(this.healthyTimer);
            const reason = reasonBuf.toString().slice(0, 200);
            if (kicked)
                return this.fail(kicked.auth ? 'auth' : 'kicked', kicked.why, kicked.minMs, kicked.auth);
            if (SERVER_KICK.has(code)) {
                const m = /retry[- ]after[=: ]+(\d+)/i.exec(reason);
                return this.fail('kicked', `close ${code} ${reason}`, Math.max(KICK_MIN_DELAY_MS, m ? Number(m[1]) * 1000 : 0), code === 4001 || code === 4003);
            }
            this.fail('network', `close ${code}${reason ? ` ${reason}` : ''}${this.lastError ? ` (${this.lastError})` : ''}`, 0);
        });
    }
    startWatchdog(ws) {
        const every = Math.max(100, Math.floor(this.o.watchdogMs / 3));
        this.watchdog = setInterval(() => {
            if (this.paused) {
                this.lastSeen = Date.now();
                return;
            }
            if (Date.now() - this.lastSeen > this.o.watchdogMs) {
                this.lastError = `no frame or pong for ${this.o.watchdogMs}ms`;
                this.log.warn({ msg: 'watchdog: connection is silent, reconnecting', source: this.o.name });
                ws.terminate();
                return;
            }
            if (ws.readyState === WebSocket.OPEN)
                ws.ping();
        }, every);
    }
    fail(kind, why, minDelayMs, authFailed = false) {
        if (this.state === 'stopped')
            return;
        this.ws = undefined;
        // A server may ask for a long pause, but not for one longer than an hour.
        const delay = this.backoff.next(Math.min(minDelayMs, MAX_SERVER_DELAY_MS));
        this.reconnects++;
        this.lastError = why;
        metrics.reconnects.inc({ source: this.o.name, reason: kind });
        this.nextAttemptAt = new Date(Date.now() + delay);
        this.setState(authFailed ? 'auth-failed' : 'backing-off');
        this.log.warn({ msg: 'source disconnected', source: this.o.name, kind, why, retryInMs: delay, attempt: this.backoff.attempts });
        this.timer = setTimeout(() => void this.connect(), delay);
    }
}
//# sourceMappingURL=source-connection.js.map