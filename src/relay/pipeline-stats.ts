/**
 * Counters of one source pipeline, shared by its units (intake, resume tracker, batch writer):
 * one object, so /sources and the status reports read it as before the split.
 * `resent`: batches sent again because they reached Postgres before the batch ahead of them.
 */
export interface PipelineStats {
  received: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  skipped: number;
  gaps: number;
  resent: number;
}

export const newPipelineStats = (): PipelineStats => ({ received: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0, gaps: 0, resent: 0 });
