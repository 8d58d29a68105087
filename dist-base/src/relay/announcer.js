import { TOPICS } from '../../libs/bus/event-bus.js';
import { QUEUES } from '../../libs/contracts/jobs.js';
/**
 * Hands newly stored rows to their handler. Stored is stored: a failing handler (bus or queue
 * away) is logged, never fatal to the pipeline, and never retried by it.
 */
export class Announcer {
    onStored;
    log;
    constructor(onStored, log) {
        this.onStored = onStored;
        this.log = log;
    }
    async announce(stored) {
        if (!stored.length)
            return;
        try {
            await this.onStored(stored);
        }
        catch (err) {
            this.log.warn({ msg: 'post-store hook failed', error: err.message });
        }
    }
}
/** The relay's handler: publish the batch on the bus (socket.io fan-out) and enqueue its embed job. */
export function publishAndEnqueueEmbed(bus, jobs) {
    return async (events) => {
        const ids = events.map((e) => e.id);
        await Promise.all([
            bus.publish(TOPICS.eventsStored, events),
            jobs.enqueue(QUEUES.embedEvents, { eventIds: ids }, { jobId: `embed-${ids[0]}-${ids[ids.length - 1]}` }),
        ]);
    };
}
//# sourceMappingURL=announcer.js.map