var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { sqlState } from '../../libs/database/index.js';
/**
 * One error body for every failure: `{ statusCode, error, message }` where message is a list
 * of what to fix. Errors that are not HttpExceptions (body-parser's 413/400, bugs) get the same
 * shape; a 5xx never leaks internals.
 */
let HttpErrorFilter = class HttpErrorFilter {
    log = new Logger('Http');
    catch(err, host) {
        if (host.getType() !== 'http')
            throw err;
        const res = host.switchToHttp().getResponse();
        let status = HttpStatus.INTERNAL_SERVER_ERROR;
        let message = ['internal error'];
        if (err instanceof HttpException) {
            status = err.getStatus();
            const body = err.getResponse();
            // Terminus answers 503 with its own report ({status, info, error, details}): keep it whole.
            if (typeof body === 'object' && body !== null && 'details' in body && 'status' in body) {
                if (!res.headersSent)
                    res.status(status).json(body);
                return;
            }
            const m = typeof body === 'string' ? body : body.message ?? err.message;
            message = Array.isArray(m) ? m.map(String) : [String(m)];
        }
        else if (isStatementTimeout(err)) {
            // statement_timeout (DB_STATEMENT_TIMEOUT_MS) cancelled the query: overload or a too-broad ask, not a bug.
            status = HttpStatus.SERVICE_UNAVAILABLE;
            message = ['the database query took too long and was cancelled; narrow the request (since=, source=, a smaller limit) or retry shortly'];
            if (!res.headersSent)
                res.setHeader('Retry-After', '1');
        }
        else if (isHttpError(err)) {
            // body-parser: entity.too.large (413), entity.parse.failed (400), ...
            status = err.status;
            message = [status === 413 ? `request body exceeds the limit (${err.limit ?? '?'} bytes)` : err.expose ? err.message : STATUS_CODES[status] ?? 'error'];
        }
        // HttpExceptions are deliberate answers; anything else reaching here is a bug worth a stack.
        if (isStatementTimeout(err))
            this.log.warn({ msg: 'request cancelled by statement_timeout', err: err.message });
        else if (status >= 500 && !(err instanceof HttpException))
            this.log.error({ msg: 'request failed', err: err instanceof Error ? err.stack : String(err) });
        if (res.headersSent)
            return;
        res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
    }
};
HttpErrorFilter = __decorate([
    Catch()
], HttpErrorFilter);
export { HttpErrorFilter };
function isHttpError(e) {
    return typeof e === 'object' && e !== null && typeof e.status === 'number' && e.status >= 400 && e.status < 600;
}
/** Postgres query_canceled (57014), raised by statement_timeout. */
function isStatementTimeout(e) {
    return sqlState(e) === '57014';
}
//# sourceMappingURL=http-exception.filter.js.map