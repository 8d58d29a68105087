import { describe, expect, it } from 'vitest';
import { newPipelineStats } from '../../src/relay/pipeline-stats.js';
import { ResumeTracker } from '../../src/relay/resume-tracker.js';
import { fakeAdapter } from './relay-fakes.js';

type Gap = { gapStart: Date; gapEnd: Date; fromCursor?: string; toCursor?: string; reason: string };
const quiet = { warn: () => undefined, error: () => undefined };
/** Cursors are seconds since the epoch; rewinding goes back `overlapMs`. */
const t = (c: string) => new Date(Number(c) * 1000);

function setup(resumable: boolean, overlapMs: number) {
  const gaps: Gap[] = [];
  const stats = newPipelineStats();
  const adapter = fakeAdapter({ resumable, cursorTime: t, rewind: (c, ms) => String(Number(c) - ms / 1000) });
  const tracker = new ResumeTracker(adapter, { recordGap: async (g) => void gaps.push(g) }, stats, overlapMs, quiet);
  /** An accepted event frame with cursor c, as the intake reports it. */
  const event = (c: string) => {
    tracker.frame(true, c);
    tracker.event(t(c), c);
  };
  return { tracker, gaps, stats, event };
}

describe('ResumeTracker', () => {
  it('resumes from the stored cursor minus the overlap, and from the newest cursor received after that', () => {
    const { tracker, event } = setup(true, 10_000);
    tracker.start('1000');
    expect(tracker.connectCursor()).toBe('990');
    event('995'); // a replayed event: the resume point stays
    expect(tracker.connectCursor()).toBe('990');
    event('1005');
    expect(tracker.connectCursor()).toBe('995');
  });

  it('records a gap when a resumable source does not replay from the cursor asked for', async () => {
    const { tracker, gaps, stats, event } = setup(true, 10_000);
    tracker.start('1000');
    tracker.connectCursor(); // asks for 990
    event('1500'); // first frame after the restart is past 1000: 1000..1500 was missed
    await tracker.settled();
    expect(stats.gaps).toBe(1);
    expect(gaps).toMatchObject([{ gapStart: t('1000'), gapEnd: t('1500'), fromCursor: '1000', toCursor: '1500' }]);
    // A replay from before our cursor after the next reconnect is no gap.
    tracker.onOpen(true);
    tracker.connectCursor();
    event('1495');
    event('1600');
    await tracker.settled();
    expect(gaps).toHaveLength(1);
  });

  it('records a gap at the first event after every reconnect of a source that cannot resume', async () => {
    const { tracker, gaps, event } = setup(false, 0);
    tracker.start(undefined);
    expect(tracker.connectCursor()).toBeUndefined();
    event('100');
    tracker.onOpen(false); // the first connect: nothing missed
    event('110');
    tracker.onOpen(true);
    tracker.frame(false, undefined); // a skip without a cursor does not settle the check
    event('200');
    await tracker.settled();
    expect(gaps).toMatchObject([{ gapStart: t('110'), gapEnd: t('200'), fromCursor: '110', toCursor: '200', reason: expect.stringContaining('cannot resume') }]);
  });

  it('retries a gap write until the store takes it', async () => {
    let fails = 1;
    const written: Gap[] = [];
    const adapter = fakeAdapter({ resumable: false, cursorTime: t });
    const tracker = new ResumeTracker(adapter, { recordGap: async (g) => {
      if (fails-- > 0) throw new Error('db away');
      written.push(g);
    } }, newPipelineStats(), 0, quiet);
    tracker.start('100');
    tracker.frame(true, '200');
    tracker.event(t('200'), '200');
    await tracker.settled();
    expect(written).toHaveLength(1);
  });
});
