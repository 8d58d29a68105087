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
  lagSeconds: number | null;
  stats: { received: number; stored: number; duplicates: number; quarantined: number; skipped: number; gaps: number; resent: number };
}

export interface SourceStatusReport {
  /** Which relay process sent it (host:pid). */
  relay: string;
  at: string;
  sources: SourceStatus[];
}
