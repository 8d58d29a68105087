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
import { Inject, Injectable, Logger } from '@nestjs/common';
import { metrics } from '../../../libs/observability/index.js';
import { SIFT_CONFIG } from '../../core/tokens.js';
/** Missed events read (and sent) per query during a replay; also scales the held-events bound. */
export const RECOVERY_CHUNK = 500;
/** Cuts off clients that cannot keep up instead of buffering for them without bound. */
let SlowConsumers = class SlowConsumers {
    cfg;
    log = new Logger('Realtime');
    constructor(cfg) {
        this.cfg = cfg;
    }
    /** True (and the client is dropped) when its unsent packets pass the limit. */
    tooSlow(state) {
        const buffered = state.socket.conn.writeBuffer?.length ?? 0;
        if (buffered <= this.cfg.SOCKET_MAX_BUFFERED_PACKETS)
            return false;
        this.drop(state, buffered);
        return true;
    }
    /** Holds a live batch for a client still replaying; drops it when too much piles up. */
    hold(state, events) {
        state.pending.push(...events);
        if (state.pending.length > this.cfg.SOCKET_MAX_BUFFERED_PACKETS * RECOVERY_CHUNK)
            this.drop(state, state.pending.length);
    }
    drop(state, buffered) {
        this.log.warn({ msg: 'dropping slow socket.io client', socket: state.socket.id, buffered });
        metrics.socketsDropped.inc();
        state.socket.emit('overflow', { buffered, limit: this.cfg.SOCKET_MAX_BUFFERED_PACKETS });
        state.socket.disconnect(true);
    }
};
SlowConsumers = __decorate([
    Injectable(),
    __param(0, Inject(SIFT_CONFIG)),
    __metadata("design:paramtypes", [Object])
], SlowConsumers);
export { SlowConsumers };
//# sourceMappingURL=clients.js.map