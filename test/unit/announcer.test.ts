import { describe, expect, it } from 'vitest';
import { LocalEventBus, TOPICS } from '../../libs/bus/event-bus.js';
import type { StoredEvent } from '../../libs/contracts/event.js';
import { QUEUES, type EmbedEventsJob } from '../../libs/contracts/jobs.js';
import { InProcessJobQueue } from '../../libs/queue/inprocess.driver.js';
import { Announcer, publishAndEnqueueEmbed } from '../../src/relay/announcer.js';

const stored = (id: string): StoredEvent => ({ id, source: 'fake', sourceEventId: `s${id}`, author: 'a', text: 't', entities: [], createdAt: '', ingestedAt: '' });

describe('Announcer', () => {
  it('publishes each stored batch on the bus and enqueues one embed job per batch', async () => {
    const bus = new LocalEventBus();
    const jobs = new InProcessJobQueue();
    const published: string[][] = [];
    const embedded: string[][] = [];
    await bus.subscribe<StoredEvent[]>(TOPICS.eventsStored, (b) => void published.push(b.map((e) => e.id)));
    jobs.process<EmbedEventsJob>(QUEUES.embedEvents, async (j) => void embedded.push(j.eventIds));
    const a = new Announcer(publishAndEnqueueEmbed(bus, jobs), { warn: () => undefined });
    await a.announce([stored('1'), stored('2')]);
    await a.announce([]); // nothing new: nothing announced
    await a.announce([stored('3')]);
    await jobs.close();
    expect(published).toEqual([['1', '2'], ['3']]);
    expect(embedded).toEqual([['1', '2'], ['3']]);
  });

  it('logs a failing handler instead of failing the write that stored the rows', async () => {
    const warnings: unknown[] = [];
    const a = new Announcer(async () => {
      throw new Error('redis down');
    }, { warn: (m: unknown) => void warnings.push(m) });
    await expect(a.announce([stored('1')])).resolves.toBeUndefined();
    expect(warnings).toEqual([{ msg: 'post-store hook failed', error: 'redis down' }]);
  });
});
