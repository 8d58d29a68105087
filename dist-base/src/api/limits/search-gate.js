var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, defer, finalize, from, mergeMap, throwError } from 'rxjs';
import { metrics } from '../../../libs/observability/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
import { RATE_BUCKET } from '../auth/auth.decorators.js';
export class SearchBusyError extends Error {
    reason;
    constructor(reason) {
        super(reason);
        this.reason = reason;
    }
}
/**
 * A counting semaphore with a bounded, time-limited wait list. Searches are the routes that can
 * hold database connections for seconds; capping how many run at once keeps the rest of the pool
 * free for other routes and health checks, and a full wait list answers at once instead of piling up.
 */
export class Slots {
    max;
    queueMax;
    waitMs;
    running = 0;
    waiting = [];
    constructor(max, queueMax, waitMs) {
        this.max = max;
        this.queueMax = queueMax;
        this.waitMs = waitMs;
    }
    get stats() {
        return { running: this.running, waiting: this.waiting.length };
    }
    /**
     * Resolves with a release function once a slot is free; rejects with SearchBusyError. `gone`
     * aborts a wait (the client hung up): the search leaves the list instead of taking a slot later.
     */
    acquire(gone) {
        if (this.running < this.max) {
            this.running++;
            return Promise.resolve(this.releaser());
        }
        if (this.waiting.length >= this.queueMax)
            return Promise.reject(new SearchBusyError('queue_full'));
        return new Promise((resolve, reject) => {
            const leave = (reason) => {
                clearTimeout(entry.timer);
                gone?.removeEventListener('abort', onGone);
                const i = this.waiting.indexOf(entry);
                if (i >= 0)
                    this.waiting.splice(i, 1);
                reject(new SearchBusyError(reason));
            };
            const onGone = () => leave('client_gone');
            const entry = {
                grant: () => {
                    clearTimeout(entry.timer);
                    gone?.removeEventListener('abort', onGone);
                    resolve(this.releaser());
                },
                timer: setTimeout(() => leave('timeout'), this.waitMs),
            };
            this.waiting.push(entry);
            gone?.addEventListener('abort', onGone, { once: true });
        });
    }
    releaser() {
        let done = false;
        return () => {
            if (done)
                return;
            done = true;
            // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
            const next = this.waiting.shift();
            if (next)
                next.grant();
            else
                this.running--;
        };
    }
}
/** Applies the search slots to every route in the `search` rate bucket (see @RateBucket). */
let SearchGateInterceptor = class SearchGateInterceptor {
    reflector;
    slots;
    constructor(reflector, cfg) {
        this.reflector = reflector;
        this.slots = new Slots(cfg.API_SEARCH_MAX_CONCURRENT, cfg.API_SEARCH_QUEUE_MAX, cfg.API_SEARCH_QUEUE_TIMEOUT_MS);
    }
    intercept(ctx, next) {
        if (ctx.getType() !== 'http' || this.reflector.getAllAndOverride(RATE_BUCKET, [ctx.getHandler(), ctx.getClass()]) !== 'search') {
            return next.handle();
        }
        const res = ctx.switchToHttp().getResponse();
        // The response closing before it was sent means the client hung up.
        const gone = new AbortController();
        const onClose = () => {
            if (!res.writableEnded)
                gone.abort();
        };
        res.once('close', onClose);
        const publish = () => {
            const s = this.slots.stats;
            metrics.searchInflight.set({ state: 'running' }, s.running);
            metrics.searchInflight.set({ state: 'waiting' }, s.waiting);
        };
        return defer(() => {
            const slot = this.slots.acquire(gone.signal);
            publish();
            return from(slot);
        }).pipe(catchError((err) => {
            if (!(err instanceof SearchBusyError))
                return throwError(() => err);
            publish();
            metrics.searchRejected.inc({ reason: err.reason });
            res.setHeader('Retry-After', '1');
            const why = err.reason === 'timeout' ? 'no slot freed in time' : err.reason === 'client_gone' ? 'the client hung up' : 'wait list full';
            return throwError(() => new HttpException(`search is at capacity on this instance (${why}); retry in 1s`, HttpStatus.SERVICE_UNAVAILABLE));
        }), mergeMap((release) => next.handle().pipe(finalize(() => {
            release();
            publish();
        }))));
    }
};
SearchGateInterceptor = __decorate([
    Injectable(),
    __param(1, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [Reflector, Object])
], SearchGateInterceptor);
export { SearchGateInterceptor };
//# sourceMappingURL=search-gate.js.map