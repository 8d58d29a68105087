import { describe, expect, it } from 'vitest';
import { Intake } from '../../src/relay/intake.js';
import { newPipelineStats } from '../../src/relay/pipeline-stats.js';
import { ResumeTracker } from '../../src/relay/resume-tracker.js';
import type { FrameResult } from '../../src/relay/sources/source-adapter.js';
import { fakeAdapter, fakeEvent } from './relay-fakes.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** A real intake (with its real resume tracker); the socket's flow control is recorded. */
function setup(bufferMax: number, parse?: (frame: Buffer) => FrameResult) {
  const adapter = fakeAdapter(parse ? { parse } : {});
  const stats = newPipelineStats();
  const flow: string[] = [];
  let buffered = 0;
  const resume = new ResumeTracker(adapter, { recordGap: async () => undefined }, stats, 0, quiet);
  const intake = new Intake(adapter, resume, { pause: () => flow.push('pause'), resume: () => flow.push('resume') }, stats, bufferMax, () => buffered++);
  const feed = (...frames: (number | string)[]) => frames.forEach((f) => intake.onFrame(Buffer.from(String(f))));
  return { intake, stats, flow, feed, resume, buffered: () => buffered };
}

describe('Intake', () => {
  it('pauses the socket when the buffer is full and resumes it once the writer released it below half', () => {
    const { intake, flow, feed } = setup(4);
    feed(1, 2, 3);
    expect(flow).toEqual([]);
    feed(4);
    expect(flow).toEqual(['pause']);
    expect(intake.slice(1, 2).map((e) => e.sourceEventId)).toEqual(['e2', 'e3']);
    intake.release(2); // half full: still paused
    expect(flow).toEqual(['pause']);
    intake.release(1);
    expect(flow).toEqual(['pause', 'resume']);
    expect(intake.slice(0, 10).map((e) => e.sourceEventId)).toEqual(['e4']);
  });

  it('quarantines frames the adapter refuses and events Postgres could not store, and counts what it saw', () => {
    const events: Record<string, FrameResult> = {
      nul: { kind: 'event', event: fakeEvent(1, { text: 'a\u0000b' }) },
      long: { kind: 'event', event: fakeEvent(2, { author: 'x'.repeat(2000) }) },
      ok: { kind: 'event', event: fakeEvent(3) },
    };
    const { intake, stats, feed, buffered } = setup(10, (f) => events[f.toString()] ?? fakeAdapter().parse(f));
    feed('bad', 'nul', 'long', 'ok', 'skip:4');
    expect(stats).toMatchObject({ received: 1, quarantined: 3, skipped: 1 });
    expect(intake.length).toBe(1);
    const q = intake.takeQuarantined();
    expect(q.map((f) => [f.reason, f.detail])).toEqual([
      ['not_json', 'not json'],
      ['wrong_shape', 'NUL character in text (Postgres text cannot hold it)'],
      ['wrong_shape', 'author is 2000 bytes (max 1024)'],
    ]);
    expect(intake.quarantinedCount).toBe(0);
    intake.returnQuarantined(q.slice(0, 1));
    expect(intake.quarantinedCount).toBe(1);
    // The writer is told of every buffered event and every quarantined frame, not of skips.
    expect(buffered()).toBe(4);
  });

  it('quarantines a frame whose cursor is an absurd time instead of resuming from it', () => {
    const adapter = fakeAdapter();
    const stats = newPipelineStats();
    const resume = new ResumeTracker(adapter, { recordGap: async () => undefined }, stats, 0, quiet);
    const intake = new Intake({ ...adapter, cursorTime: (c) => new Date(Number(c) * 1000) }, resume, { pause() {}, resume() {} }, stats, 10, () => undefined);
    intake.onFrame(Buffer.from('4102444800')); // 2100-01-01
    expect(stats).toMatchObject({ received: 0, quarantined: 1 });
    expect(intake.takeQuarantined()[0]!.reason).toBe('absurd_timestamp');
    expect(resume.connectCursor()).toBeUndefined();
  });

  it('moves the resume point with events and skipped frames, never backwards', () => {
    const { feed, resume } = setup(10);
    feed(5, 'skip:7', 6);
    expect(resume.connectCursor()).toBe('7');
  });
});

describe('Intake wait time (the relay\'s own lag)', () => {
  it('is how long the oldest unstored event has waited, and 0 once everything is released', () => {
    const { intake, feed } = setup(10);
    const t0 = Date.now();
    const realNow = Date.now;
    try {
      Date.now = () => t0;
      feed(1, 2);
      Date.now = () => t0 + 1500;
      feed(3);
      expect(intake.oldestWaitSeconds).toBeCloseTo(1.5, 5);
      intake.release(2); // event 3 arrived 1.5 s later than 1 and 2
      expect(intake.oldestWaitSeconds).toBe(0);
      Date.now = () => t0 + 4000;
      expect(intake.oldestWaitSeconds).toBeCloseTo(2.5, 5);
      intake.release(1);
      expect(intake.oldestWaitSeconds).toBe(0);
    } finally {
      Date.now = realNow;
    }
  });
});
