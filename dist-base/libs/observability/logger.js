import { AsyncLocalStorage } from 'node:async_hooks';
import { pino } from 'pino';
import pretty from 'pino-pretty';
/** Per-request context (request id) carried through async calls so every log line of a request has it. */
export const requestContext = new AsyncLocalStorage();
/** `auto`: human-readable in a terminal, JSON lines when stdout is a pipe or file (containers, log shippers). */
export function resolveLogFormat(format, isTTY = process.stdout.isTTY === true) {
    return format === 'auto' ? (isTTY ? 'pretty' : 'json') : format;
}
export function createRootLogger(opts) {
    const options = {
        level: opts.level,
        base: { role: opts.roles.join(',') },
        timestamp: pino.stdTimeFunctions.isoTime,
        mixin: () => {
            const ctx = requestContext.getStore();
            return ctx ? { requestId: ctx.requestId } : {};
        },
    };
    if (resolveLogFormat(opts.format) === 'json')
        return opts.destination ? pino(options, opts.destination) : pino(options);
    // In this thread, synchronously (not a worker transport): terminal volumes are small, and the
    // last lines before process.exit() are never lost.
    const colorize = !opts.destination && process.stdout.isTTY === true;
    // The role is the same on every line of a process (the startup summary names it); the Nest
    // context leads the message instead of taking a line of its own.
    return pino(options, pretty({
        sync: true,
        colorize,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,role,context',
        messageFormat: '{if context}{context}: {end}{msg}',
        destination: opts.destination ?? 1,
    }));
}
/** Adapts pino to Nest's LoggerService so framework logs share the same JSON stream. */
export class NestPinoLogger {
    root;
    constructor(root) {
        this.root = root;
    }
    write(level, message, params) {
        const context = typeof params[params.length - 1] === 'string' ? params.pop() : undefined;
        const log = context ? this.root.child({ context }) : this.root;
        if (message instanceof Error)
            log[level]({ err: message }, message.message);
        else if (typeof message === 'object')
            log[level](message);
        else
            log[level](params.length && level === 'error' && typeof params[0] === 'string' ? { stack: params[0] } : {}, String(message));
    }
    log(message, ...params) { this.write('info', message, params); }
    error(message, ...params) { this.write('error', message, params); }
    warn(message, ...params) { this.write('warn', message, params); }
    debug(message, ...params) { this.write('debug', message, params); }
    verbose(message, ...params) { this.write('trace', message, params); }
}
//# sourceMappingURL=logger.js.map