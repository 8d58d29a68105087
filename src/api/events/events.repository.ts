import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StoredEvent } from '../../../libs/contracts/event.js';

export interface EventFilter {
  source?: string;
  author?: string;
  entity?: string;
  contains?: string;
  since?: Date;
  until?: Date;
  /** Return events with id < beforeId (cursor pagination, newest first). */
  beforeId?: string;
  limit: number;
}

export const EVENT_COLUMNS = `e.id::text AS id, e.source, e.source_event_id AS "sourceEventId", e.author, e.text, e.entities,
  e.created_at AS "createdAt", e.ingested_at AS "ingestedAt"`;

export function toStoredEvent(r: Record<string, any>): StoredEvent {
  return {
    id: String(r.id),
    source: r.source,
    sourceEventId: r.sourceEventId,
    author: r.author,
    text: r.text,
    entities: r.entities ?? [],
    createdAt: new Date(r.createdAt).toISOString(),
    ingestedAt: new Date(r.ingestedAt).toISOString(),
  };
}

/** Read side of the events table for the API. */
@Injectable()
export class EventsRepository {
  constructor(private readonly ds: DataSource) {}

  async list(f: EventFilter): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.source) add('e.source = ?', f.source);
    if (f.author) add('e.author = ?', f.author);
    if (f.entity) add('e.entities @> ARRAY[?]::text[]', f.entity);
    // Substring match, wildcards in the input taken literally. Unindexed, but rows are walked
    // newest first by id and the LIMIT stops the scan early when matches are common.
    if (f.contains) add("e.text ILIKE ? ESCAPE '\\'", `%${f.contains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.since) add('e.created_at >= ?', f.since);
    if (f.until) add('e.created_at < ?', f.until);
    if (f.beforeId) add('e.id < ?', f.beforeId);
    params.push(f.limit);
    const rows = await this.ds.query(
      // events_all = hot ∪ archive: pages and time ranges continue past the hot window.
      `SELECT ${EVENT_COLUMNS} FROM events_all e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY e.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * Events after `afterId` matching any of `filters`, oldest first, ingested within the last
   * `windowMs`: what a reconnecting socket.io client missed. Batch commits are serialised, so
   * ids grow in commit order and "id > last seen" misses nothing.
   */
  async missedSince(afterId: string, filters: { source?: string; entity?: string; author?: string }[], windowMs: number, limit: number): Promise<StoredEvent[]> {
    if (!filters.length) return [];
    const params: unknown[] = [afterId, windowMs, limit];
    const ors = filters.map((f) => {
      const and: string[] = ['TRUE'];
      if (f.source !== undefined) and.push(`e.source = $${params.push(f.source)}`);
      if (f.author !== undefined) and.push(`e.author = $${params.push(f.author)}`);
      if (f.entity !== undefined) and.push(`e.entities @> ARRAY[$${params.push(f.entity)}]::text[]`);
      return `(${and.join(' AND ')})`;
    });
    const rows = await this.ds.query(
      `SELECT ${EVENT_COLUMNS} FROM events e
       WHERE e.id > $1 AND e.ingested_at >= now() - make_interval(secs => $2::double precision / 1000) AND (${ors.join(' OR ')})
       ORDER BY e.id LIMIT $3`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  async byIds(ids: string[]): Promise<StoredEvent[]> {
    if (!ids.length) return [];
    const rows = await this.ds.query(`SELECT ${EVENT_COLUMNS} FROM events_all e WHERE e.id = ANY($1::bigint[])`, [ids]);
    return rows.map(toStoredEvent);
  }
}
