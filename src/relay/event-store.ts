import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SiftEvent, StoredEvent } from '../../libs/contracts/event.js';
import type { QuarantineReason } from './sources/source-adapter.js';

/** Postgres array literal for one row's text[] (unnest cannot take jagged 2-D arrays). */
export function pgTextArray(xs: string[]): string {
  return `{${xs.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Advisory lock key held by every batch insert; any 64-bit constant unique to this purpose. */
export const COMMIT_ORDER_LOCK = '7305814912009113601';

/** The rows an insert returned (only the new ones), as stored events built from the batch. */
export function toStoredEvents(source: string, events: SiftEvent[], rows: { id: string; source_event_id: string; ingested_at: Date | string }[]): StoredEvent[] {
  const bySid = new Map(events.map((e) => [e.sourceEventId, e]));
  return rows.map((r) => {
    const e = bySid.get(r.source_event_id)!;
    return {
      id: r.id,
      source,
      sourceEventId: e.sourceEventId,
      author: e.author,
      text: e.text,
      entities: e.entities,
      createdAt: e.createdAt.toISOString(),
      ingestedAt: new Date(r.ingested_at).toISOString(),
    };
  });
}

export interface QuarantinedFrame {
  reason: QuarantineReason;
  detail: string;
  raw: Buffer;
  size: number;
}

/** The relay's writes: events, cursors, gaps and quarantine. */
@Injectable()
export class EventStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Inserts a batch (duplicates dropped by the unique key) and advances the source cursor in the
   * same transaction, so a cursor never points past what is stored. Returns the rows that were new.
   */
  async writeBatch(source: string, events: SiftEvent[], cursor: string | undefined): Promise<StoredEvent[]> {
    return this.ds.transaction(async (m) => {
      // Serialise batch commits (across sources and relay processes) so event ids become
      // visible in id order: a socket.io client resuming "after id N" then misses nothing.
      if (events.length) await m.query(`SELECT pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`);
      const rows: { id: string; source_event_id: string; ingested_at: Date }[] = events.length
        ? await m.query(
            `INSERT INTO events (source, source_event_id, author, text, entities, lang, created_at)
             SELECT $1, sid, author, text, ents::text[], lang, created_at
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
               AS t(sid, author, text, ents, lang, created_at)
             ON CONFLICT (source, source_event_id) DO NOTHING
             RETURNING id::text AS id, source_event_id, ingested_at`,
            [
              source,
              events.map((e) => e.sourceEventId),
              events.map((e) => e.author),
              events.map((e) => e.text),
              events.map((e) => pgTextArray(e.entities)),
              events.map((e) => e.lang ?? null),
              events.map((e) => e.createdAt.toISOString()),
            ],
          )
        : [];
      if (cursor !== undefined) {
        await m.query(
          `INSERT INTO source_cursors (source, cursor) VALUES ($1, $2)
           ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
          [source, cursor],
        );
      }
      return toStoredEvents(source, events, rows);
    });
  }

  async cursor(source: string): Promise<string | undefined> {
    const rows = await this.ds.query(`SELECT cursor FROM source_cursors WHERE source = $1`, [source]);
    return rows[0]?.cursor;
  }

  async quarantine(source: string, frames: QuarantinedFrame[]) {
    if (!frames.length) return;
    await this.ds.query(
      `INSERT INTO quarantine (source, reason, detail, raw, raw_size)
       SELECT $1, r, d, decode(b, 'base64'), s FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS t(r, d, b, s)`,
      [source, frames.map((f) => f.reason), frames.map((f) => f.detail.replace(/\u0000/g, '')), frames.map((f) => f.raw.toString('base64')), frames.map((f) => f.size)],
    );
  }

  async recordGap(g: { source: string; gapStart: Date; gapEnd: Date; fromCursor?: string; toCursor?: string; reason: string }) {
    await this.ds.query(
      `INSERT INTO ingest_gaps (source, gap_start, gap_end, from_cursor, to_cursor, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [g.source, g.gapStart, g.gapEnd, g.fromCursor ?? null, g.toCursor ?? null, g.reason],
    );
  }
}
