import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { sqlState } from '../../libs/database/index.js';

/**
 * One error body for every failure: `{ statusCode, error, message }` where message is a list
 * of what to fix. Errors that are not HttpExceptions (body-parser's 413/400, bugs) get the same
 * shape; a 5xx never leaks internals.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(err: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw err;
    const res = host.switchToHttp().getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string[] = ['internal error'];
    if (err instanceof HttpException) {
      status = err.getStatus();
      const body = err.getResponse();
      // Terminus answers 503 with its own report ({status, info, error, details}): keep it whole.
      if (typeof body === 'object' && body !== null && 'details' in body && 'status' in body) {
        if (!res.headersSent) res.status(status).json(body);
        return;
      }
      const m = typeof body === 'string' ? body : (body as { message?: unknown }).message ?? err.message;
      message = Array.isArray(m) ? m.map(String) : [String(m)];
    } else if (isStatementTimeout(err)) {
      // statement_timeout (DB_STATEMENT_TIMEOUT_MS) cancelled the query: overload or a too-broad ask, not a bug.
      status = HttpStatus.SERVICE_UNAVAILABLE;
      message = ['the database query took too long and was cancelled; narrow the request (since=, source=, a smaller limit) or retry shortly'];
      if (!res.headersSent) res.setHeader('Retry-After', '1');
    } else if (isHttpError(err)) {
      // body-parser: entity.too.large (413), entity.parse.failed (400), ...
      status = err.status;
      message = [status === 413 ? `request body exceeds the limit (${err.limit ?? '?'} bytes)` : err.expose ? err.message : STATUS_CODES[status] ?? 'error'];
    }
    // HttpExceptions are deliberate answers; anything else reaching here is a bug worth a stack.
    if (isStatementTimeout(err)) this.log.warn({ msg: 'request cancelled by statement_timeout', err: (err as Error).message });
    else if (status >= 500 && !(err instanceof HttpException)) this.log.error({ msg: 'request failed', err: err instanceof Error ? err.stack : String(err) });
    if (res.headersSent) return;
    res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
  }
}

function isHttpError(e: unknown): e is { status: number; expose?: boolean; message: string; limit?: number } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && (e as { status: number }).status >= 400 && (e as { status: number }).status < 600;
}

/** Postgres query_canceled (57014), raised by statement_timeout. */
function isStatementTimeout(e: unknown): boolean {
  return sqlState(e) === '57014';
}
