import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { authRequired, type SiftConfig } from '../../../libs/config/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { COUNTER_STORE } from '../limits/tokens.js';
import type { CounterStore } from '../limits/counter-store.js';
import { ApiKeysService, type Principal } from './api-keys.service.js';
import { PUBLIC_ROUTE, RATE_BUCKET, REQUIRED_SCOPE } from './auth.decorators.js';
import type { Scope } from './api-keys.repository.js';

/** The key a request or socket handshake presents: `Authorization: Bearer`, `X-API-Key`, or socket auth `{ key }`. */
export function presentedKey(headers: Record<string, unknown>, auth?: Record<string, unknown>): string | undefined {
  const a = headers['authorization'];
  if (typeof a === 'string' && /^bearer\s+/i.test(a)) return a.replace(/^bearer\s+/i, '').trim();
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  return typeof auth?.key === 'string' ? auth.key : undefined;
}

const WINDOW_MS = 60_000;

/**
 * Every api route: authenticate the key, check its scope, then count the request against the
 * key's and the client IP's per-minute budgets (Redis-backed, shared by all api instances).
 * Answers carry RateLimit-* headers; a 429 carries Retry-After.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const res = ctx.switchToHttp().getResponse<Response>();

    await this.limit(res, `ip:${req.ip}`, this.cfg.API_RATE_LIMIT_IP_PER_MIN!);
    if (!authRequired(this.cfg)) return true;

    const secret = presentedKey(req.headers as Record<string, unknown>);
    if (!secret) throw new UnauthorizedException('API key required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`');
    const principal = await this.keys.authenticate(secret);
    if (!principal) throw new UnauthorizedException('API key is unknown or revoked');
    // Known before the scope check, so usage metering counts a 403 against the key that got it.
    req.principal = principal;
    const scope = this.reflector.getAllAndOverride<Scope>(REQUIRED_SCOPE, targets) ?? 'read';
    if (!principal.scopes.includes(scope)) throw new ForbiddenException(`this key lacks the "${scope}" scope`);

    const bucket = this.reflector.getAllAndOverride<string>(RATE_BUCKET, targets);
    const perKey = principal.rateLimitPerMin ?? this.cfg.API_RATE_LIMIT_PER_MIN!;
    if (bucket === 'search') await this.limit(res, `key:${principal.keyId}:search`, Math.min(perKey, this.cfg.API_SEARCH_RATE_LIMIT_PER_MIN!));
    else await this.limit(res, `key:${principal.keyId}`, perKey);
    return true;
  }

  private async limit(res: Response, key: string, limit: number) {
    const { count, resetMs } = await this.counters.hit(`rl:${key}`, WINDOW_MS);
    const resetS = Math.max(1, Math.ceil(resetMs / 1000));
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
    res.setHeader('RateLimit-Reset', String(resetS));
    if (count > limit) {
      res.setHeader('Retry-After', String(resetS));
      throw new HttpException(`rate limit of ${limit} requests per minute exceeded; retry in ${resetS}s`, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
