/** Job queues shared between producers and consumers in different roles. */
export const QUEUES = {
  /** Relay → worker: embed the events of one stored batch. */
  embedEvents: 'embed-events',
  /** Worker → worker: embed every event that lacks a vector from `modelId`, in id order. */
  embedBackfill: 'embed-backfill',
  /** Worker → worker: re-embed stored events with a promoted candidate (resumable claim in `models`). */
  modelReembed: 'model-reembed',
  /** Scheduled: one drift window for the active model. */
  modelDrift: 'model-drift',
} as const;

export interface ModelReembedJob {
  name: string;
}

export interface EmbedEventsJob {
  eventIds: string[];
}

export interface EmbedBackfillJob {
  modelId: string;
}
