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
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, TOPICS } from '../../../libs/bus/event-bus.js';
import { RelayRepository } from '../../relay/relay.repository.js';
/** A report older than this means the relay holding the source is gone or cut off. */
const STALE_MS = 10_000;
/**
 * What the api knows about relay sources: the latest report each relay broadcast (they may run
 * in other containers) merged with what the database says (cursor, gaps, quarantine).
 */
let SourcesService = class SourcesService {
    relay;
    bus;
    latest = new Map();
    constructor(relay, bus) {
        this.relay = relay;
        this.bus = bus;
    }
    async onApplicationBootstrap() {
        await this.bus.subscribe(TOPICS.sourceStatus, (r) => {
            for (const s of r.sources)
                this.latest.set(s.name, { relay: r.relay, at: Date.parse(r.at), status: s });
        });
    }
    async list() {
        const rows = await this.relay.sources();
        const byName = new Map(rows.map((r) => [r.source, r]));
        const names = new Set([...byName.keys(), ...this.latest.keys()]);
        // Reports are bounded by the configured sources; forget ones not heard of in an hour.
        for (const [name, l] of this.latest)
            if (Date.now() - l.at > 3_600_000)
                this.latest.delete(name);
        return [...names].sort().map((name) => {
            const live = this.latest.get(name);
            const db = byName.get(name);
            const fresh = live && Date.now() - live.at < STALE_MS;
            return {
                ...(live?.status ?? {}),
                name,
                state: fresh ? live.status.state : live ? 'unreported' : 'unknown',
                relay: live?.relay ?? null,
                reportedAt: live ? new Date(live.at).toISOString() : null,
                storedCursor: db?.cursor ?? null,
                storedCursorAt: db?.updatedAt ? new Date(db.updatedAt).toISOString() : null,
                gapsRecorded: db?.gaps ?? 0,
                quarantined: db?.quarantined ?? 0,
            };
        });
    }
    gaps(source, beforeId, limit) {
        return this.relay.gaps(source, beforeId, limit);
    }
};
SourcesService = __decorate([
    Injectable(),
    __param(1, Inject(EVENT_BUS)),
    __metadata("design:paramtypes", [RelayRepository, Object])
], SourcesService);
export { SourcesService };
//# sourceMappingURL=sources.service.js.map