/** Job queues shared between producers and consumers in different roles. */
export const QUEUES = {
  /** Relay → worker: embed the events of one stored batch. */
  embedEvents: 'embed-events',
} as const;

export interface EmbedEventsJob {
  eventIds: string[];
}
