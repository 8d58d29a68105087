import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_BUS, TOPICS, type EventBus } from '../../../libs/bus/event-bus.js';
import type { SourceStatus, SourceStatusReport } from '../../../libs/contracts/sources.js';
import { RelayRepository, type GapView } from '../../relay/relay.repository.js';

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
    private readonly relay: RelayRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap() {
    await this.bus.subscribe<SourceStatusReport>(TOPICS.sourceStatus, (r) => {
      for (const s of r.sources) this.latest.set(s.name, { relay: r.relay, at: Date.parse(r.at), status: s });
    });
  }

  async list(): Promise<SourceView[]> {
    const rows = await this.relay.sources();
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
        storedCursorAt: db?.updatedAt ? new Date(db.updatedAt).toISOString() : null,
        gapsRecorded: db?.gaps ?? 0,
        quarantined: db?.quarantined ?? 0,
      };
    });
  }

  gaps(source: string, beforeId: string | undefined, limit: number): Promise<GapView[]> {
    return this.relay.gaps(source, beforeId, limit);
  }
}
