/** One relay source as the relay sees it; published on the bus and served by GET /sources. */
export interface SourceStatus {
  name: string;
  kind: string;
  state: string;
  resumable: boolean;
  lastFrameAt: string | null;
  reconnects: number;
  lastError: string | null;
  buffered: number;
  cursor: string | null;
  /**
   * Now minus the source's own time of the newest stored event: how old the data is. For a live
   * source it is small (source delay + relay lag); for a replay or a rewind it is the events' age.
   */
  eventAgeSeconds: number | null;
  /** How long the oldest event not yet stored has waited in the relay (0 = the relay keeps up). */
  relayLagSeconds: number;
  stats: { received: number; stored: number; duplicates: number; quarantined: number; skipped: number; gaps: number; resent: number };
}

export interface SourceStatusReport {
  /** Which relay process sent it (host:pid). */
  relay: string;
  at: string;
  sources: SourceStatus[];
}
