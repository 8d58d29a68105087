import { Inject, Injectable, Optional, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { USAGE_SINK, type UsageSink } from '../../libs/contracts/usage.js';
import { metrics } from '../../libs/observability/index.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route template Express matched (`/events/:id`), or `unmatched`: never the raw path. */
export function routeTemplate(req: Request): string {
  const path = (req as Request & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` || '/' : 'unmatched';
}

/**
 * Meters every API request when its answer is sent: `http_requests` usage for the key the auth
 * guard put on the request, and the latency histogram / error counter in /metrics. It listens for
 * the response's `finish`, so answers produced by the guard (401/403/429), the exception filter
 * and Nest's 404 are counted with the status the client really got.
 */
@Injectable()
export class HttpMeteringMiddleware implements NestMiddleware {
  constructor(@Optional() @Inject(USAGE_SINK) private readonly usage?: UsageSink) {}

  use(req: Request, res: Response, next: NextFunction) {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = routeTemplate(req);
      const statusClass = `${Math.floor(res.statusCode / 100)}xx`;
      const labels = { method, route, status_class: statusClass };
      metrics.httpRequestSeconds.observe(labels, seconds);
      if (res.statusCode >= 400) metrics.httpRequestErrors.inc(labels);
      const keyId = (req as Request & { principal?: { keyId: string } }).principal?.keyId ?? null;
      this.usage?.record({ keyId, metric: 'http_requests', dimension: `${method} ${route} ${statusClass}`, quantity: 1 });
    });
    next();
  }
}
