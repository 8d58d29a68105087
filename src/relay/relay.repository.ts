import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/database/index.js';
import type { QuarantineReason } from './sources/source-adapter.js';

export interface QuarantinedFrame {
  reason: QuarantineReason;
  detail: string;
  raw: Buffer;
  size: number;
}

export interface RecordedGap {
  source: string;
  gapStart: Date;
  gapEnd: Date;
  fromCursor?: string;
  toCursor?: string;
  reason: string;
}

export interface SourceRecord {
  source: string;
  cursor: string | null;
  updatedAt: Date | null;
  gaps: number;
  quarantined: number;
}

export interface GapView {
  id: string;
  gapStart: string;
  gapEnd: string;
  durationMs: number;
  fromCursor: string | null;
  toCursor: string | null;
  reason: string;
  recordedAt: string;
}

/**
 * Every statement on the relay's own tables: source_cursors (read here; written by the batch
 * statement in the events repository, so a cursor commits with its rows), ingest_gaps and
 * quarantine. The api's /sources view reads them through this repository too.
 */
@Injectable()
export class RelayRepository {
  constructor(private readonly db: Db) {}

  async cursor(source: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ cursor: string }>(`SELECT cursor FROM source_cursors WHERE source = $1`, [source]);
    return row?.cursor;
  }

  async quarantine(source: string, frames: QuarantinedFrame[]) {
    if (!frames.length) return;
    await this.db.query(
      `INSERT INTO quarantine (source, reason, detail, raw, raw_size)
       SELECT $1, r, d, decode(b, 'base64'), s FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS t(r, d, b, s)`,
      [source, frames.map((f) => f.reason), frames.map((f) => f.detail.replace(/\u0000/g, '')), frames.map((f) => f.raw.toString('base64')), frames.map((f) => f.size)],
    );
  }

  async recordGap(g: RecordedGap) {
    await this.db.query(
      `INSERT INTO ingest_gaps (source, gap_start, gap_end, from_cursor, to_cursor, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [g.source, g.gapStart, g.gapEnd, g.fromCursor ?? null, g.toCursor ?? null, g.reason],
    );
  }

  /** Every source the database knows of (a cursor, a gap or a quarantined frame), with its counts. */
  async sources(): Promise<SourceRecord[]> {
    const rows = await this.db.query<{ source: string; cursor: string | null; updated_at: Date | null; gaps: number; quarantined: number }>(
      `SELECT s.source, c.cursor, c.updated_at,
              (SELECT count(*)::int FROM ingest_gaps g WHERE g.source = s.source) AS gaps,
              (SELECT count(*)::int FROM quarantine q WHERE q.source = s.source) AS quarantined
       FROM (SELECT source FROM source_cursors UNION SELECT source FROM ingest_gaps UNION SELECT source FROM quarantine) s
       LEFT JOIN source_cursors c ON c.source = s.source`,
    );
    return rows.map((r) => ({ source: r.source, cursor: r.cursor, updatedAt: r.updated_at, gaps: r.gaps, quarantined: r.quarantined }));
  }

  /** A source's recorded gaps, newest first, paged by id. */
  async gaps(source: string, beforeId: string | undefined, limit: number): Promise<GapView[]> {
    const rows = await this.db.query(
      `SELECT id::text AS id, gap_start, gap_end, from_cursor, to_cursor, reason, recorded_at,
              (extract(epoch FROM gap_end - gap_start) * 1000)::bigint AS duration_ms
       FROM ingest_gaps WHERE source = $1 ${beforeId ? 'AND id < $3' : ''} ORDER BY ingest_gaps.id DESC LIMIT $2`,
      beforeId ? [source, limit, beforeId] : [source, limit],
    );
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
}
