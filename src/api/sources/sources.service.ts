import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { SourceStatus, SourceStatusReport } from '../../../libs/contracts/sources.js';

/** A report older than this means the relay holding the source is gone or cut off. */
const STALE_MS = 10_000;

export interface SourceView extends Partial<SourceStatus> {
  name: string;
  state: string;
  relay: string | null;
  reportedAt: string | null;
  storedCursor: string | null;
  storedCursorAt: string | null;
  gapsRecorded: number;
  quarantined: number;
}

/**
 * What the api knows about relay sources: the latest report each relay broadcast (they may run
 * in other containers) merged with what the database says (cursor, gaps, quarantine).
 */
@Injectable()
export class SourcesService implements OnApplicationBootstrap {
  private readonly latest = new Map<string, { relay: string; at: number; status: SourceStatus }>();

  constructor(
    private readonly ds: DataSource,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap() {
    await this.bus.subscribe<SourceStatusReport>(TOPICS.sourceStatus, (r) => {
      for (const s of r.sources) this.latest.set(s.name, { relay: r.relay, at: Date.parse(r.at), status: s });
    });
  }

  async list(): Promise<SourceView[]> {
    const rows: { source: string; cursor: string | null; updated_at: Date | null; gaps: number; quarantined: number }[] = await this.ds.query(
      `SELECT s.source, c.cursor, c.updated_at,
              (SELECT count(*)::int FROM ingest_gaps g WHERE g.source = s.source) AS gaps,
              (SELECT count(*)::int FROM quarantine q WHERE q.source = s.source) AS quarantined
       FROM (SELECT source FROM source_cursors UNION SELECT source FROM ingest_gaps UNION SELECT source FROM quarantine) s
       LEFT JOIN source_cursors c ON c.source = s.source`,
    );
    const byName = new Map(rows.map((r) => [r.source, r]));
    const names = new Set([...byName.keys(), ...this.latest.keys()]);
    // Reports are bounded by the configured sources; forget ones not heard of in an hour.
    for (const [name, l] of this.latest) if (Date.now() - l.at > 3_600_000) this.latest.delete(name);
    return [...names].sort().map((name) => {
      const live = this.latest.get(name);
      const db = byName.get(name);
      const fresh = live && Date.now() - live.at < STALE_MS;
      return {
        ...(live?.status ?? {}),
        name,
        state: fresh ? live!.status.state : live ? 'unreported' : 'unknown',
        relay: live?.relay ?? null,
        reportedAt: live ? new Date(live.at).toISOString() : null,
        storedCursor: db?.cursor ?? null,
        storedCursorAt: db?.updated_at ? new Date(db.updated_at).toISOString() : null,
        gapsRecorded: db?.gaps ?? 0,
        quarantined: db?.quarantined ?? 0,
      };
    });
  }

  async gaps(source: string, beforeId: string | undefined, limit: number) {
    const rows = await this.ds.query(
      `SELECT id::text AS id, gap_start, gap_end, from_cursor, to_cursor, reason, recorded_at,
              (extract(epoch FROM gap_end - gap_start) * 1000)::bigint AS duration_ms
       FROM ingest_gaps WHERE source = $1 ${beforeId ? 'AND id < $3' : ''} ORDER BY id DESC LIMIT $2`,
      beforeId ? [source, limit, beforeId] : [source, limit],
    );
    return rows.map((r: Record<string, any>) => ({
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
