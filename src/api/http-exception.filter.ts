import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

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
    } else if (isHttpError(err)) {
      // body-parser: entity.too.large (413), entity.parse.failed (400), ...
      status = err.status;
      message = [status === 413 ? `request body exceeds the limit (${err.limit ?? '?'} bytes)` : err.expose ? err.message : STATUS_CODES[status] ?? 'error'];
    }
    // HttpExceptions are deliberate answers; anything else reaching here is a bug worth a stack.
    if (status >= 500 && !(err instanceof HttpException)) this.log.error({ msg: 'request failed', err: err instanceof Error ? err.stack : String(err) });
    if (res.headersSent) return;
    res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
  }
}

function isHttpError(e: unknown): e is { status: number; expose?: boolean; message: string; limit?: number } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && (e as { status: number }).status >= 400 && (e as { status: number }).status < 600;
}
