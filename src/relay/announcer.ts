import type { Logger } from '@nestjs/common';
import type { EventBus } from '../../libs/bus/event-bus.js';
import { TOPICS } from '../../libs/bus/event-bus.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { QUEUES, type EmbedEventsJob } from '../../libs/contracts/jobs.js';
import type { JobQueue } from '../../libs/queue/index.js';

/** What happens to the rows a committed batch stored (broadcast, embed). */
export type StoredHandler = (events: StoredEvent[]) => Promise<void> | void;

/**
 * Hands newly stored rows to their handler. Stored is stored: a failing handler (bus or queue
 * away) is logged, never fatal to the pipeline, and never retried by it.
 */
export class Announcer {
  constructor(
    private readonly onStored: StoredHandler,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  async announce(stored: StoredEvent[]) {
    if (!stored.length) return;
    try {
      await this.onStored(stored);
    } catch (err) {
      this.log.warn({ msg: 'post-store hook failed', error: (err as Error).message });
    }
  }
}

/** The relay's handler: publish the batch on the bus (socket.io fan-out) and enqueue its embed job. */
export function publishAndEnqueueEmbed(bus: Pick<EventBus, 'publish'>, jobs: Pick<JobQueue, 'enqueue'>): StoredHandler {
  return async (events) => {
    const ids = events.map((e) => e.id);
    await Promise.all([
      bus.publish(TOPICS.eventsStored, events),
      jobs.enqueue<EmbedEventsJob>(QUEUES.embedEvents, { eventIds: ids }, { jobId: `embed-${ids[0]}-${ids[ids.length - 1]}` }),
    ]);
  };
}
