/** Job queues shared between producers and consumers in different roles. */
export const QUEUES = {
    /** Relay → worker: embed the events of one stored batch. */
    embedEvents: 'embed-events',
    /** Worker → worker: embed every event that lacks a vector from `modelId`, in id order. */
    embedBackfill: 'embed-backfill',
};
//# sourceMappingURL=jobs.js.map