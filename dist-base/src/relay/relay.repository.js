var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/database/index.js';
/**
 * Every statement on the relay's own tables: source_cursors (read here; written by the batch
 * statement in the events repository, so a cursor commits with its rows), ingest_gaps and
 * quarantine. The api's /sources view reads them through this repository too.
 */
let RelayRepository = class RelayRepository {
    db;
    constructor(db) {
        this.db = db;
    }
    async cursor(source) {
        const [row] = await this.db.query(`SELECT cursor FROM source_cursors WHERE source = $1`, [source]);
        return row?.cursor;
    }
    async quarantine(source, frames) {
        if (!frames.length)
            return;
        await this.db.query(`INSERT INTO quarantine (source, reason, detail, raw, raw_size)
       SELECT $1, r, d, decode(b, 'base64'), s FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS t(r, d, b, s)`, [source, frames.map((f) => f.reason), frames.map((f) => f.detail.replace(/\u0000/g, '')), frames.map((f) => f.raw.toString('base64')), frames.map((f) => f.size)]);
    }
    async recordGap(g) {
        await this.db.query(`INSERT INTO ingest_gaps (source, gap_start, gap_end, from_cursor, to_cursor, reason) VALUES ($1, $2, $3, $4, $5, $6)`, [g.source, g.gapStart, g.gapEnd, g.fromCursor ?? null, g.toCursor ?? null, g.reason]);
    }
    /** Every source the database knows of (a cursor, a gap or a quarantined frame), with its counts. */
    async sources() {
        const rows = await this.db.query(`SELECT s.source, c.cursor, c.updated_at,
              (SELECT count(*)::int FROM ingest_gaps g WHERE g.source = s.source) AS gaps,
              (SELECT count(*)::int FROM quarantine q WHERE q.source = s.source) AS quarantined
       FROM (SELECT source FROM source_cursors UNION SELECT source FROM ingest_gaps UNION SELECT source FROM quarantine) s
       LEFT JOIN source_cursors c ON c.source = s.source`);
        return rows.map((r) => ({ source: r.source, cursor: r.cursor, updatedAt: r.updated_at, gaps: r.gaps, quarantined: r.quarantined }));
    }
    /** A source's recorded gaps, newest first, paged by id. */
    async gaps(source, beforeId, limit) {
        const rows = await this.db.query(`SELECT id::text AS id, gap_start, gap_end, from_cursor, to_cursor, reason, recorded_at,
              (extract(epoch FROM gap_end - gap_start) * 1000)::bigint AS duration_ms
       FROM ingest_gaps WHERE source = $1 ${beforeId ? 'AND id < $3' : ''} ORDER BY id DESC LIMIT $2`, beforeId ? [source, limit, beforeId] : [source, limit]);
        return rows.map((r) => ({
            id: r.id,
            gapStart: new Date(r.gap_start).toISOString(),
            gapEnd: new Date(r.gap_end).toISOString(),
            durationMs: Number(r.duration_ms),
            fromCursor: r.from_cursor,
            toCursor: r.to_cursor,
            reason: r.reason,
            recordedAt: new Date(r.recorded_at).toISOString(),
        }));
    }
};
RelayRepository = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [Db])
], RelayRepository);
export { RelayRepository };
//# sourceMappingURL=relay.repository.js.map