import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mulberry32 } from '../../libs/common/random.js';
import { compare, QueryStats, summarise, type DriftThresholds } from '../../src/models/drift.js';
import { driftStep } from '../../src/models/drift.monitor.js';
import { loadGloveProvider } from '../../src/embeddings/providers/glove.provider.js';
import type { EmbeddingProvider } from '../../src/embeddings/providers/provider.js';

// The defaults of libs/config/vars/models.ts.
const T: DriftThresholds = { k: 4, dimsShare: 0.2, centroid: 0.05, mmd: 0.02 };
const ALERT_WINDOWS = 3;
const WINDOW = 400;

const TOPICS: Record<string, string[]> = {
  markets: 'bitcoin price market stocks trading investors rally crash shares bank inflation rates dollar economy fund profit'.split(' '),
  sports: 'football match goal team season coach league player score win championship fans stadium injury transfer'.split(' '),
  weather: 'rain storm sunny forecast temperature snow wind cloudy heat weekend cold weather summer winter flood'.split(' '),
  tech: 'phone app software update apple google release device computer launch code developers chip screen battery'.split(' '),
  food: 'dinner pizza coffee recipe restaurant cooking chicken breakfast cheese delicious lunch bread cake kitchen taste'.split(' '),
};
const SHIFT = 'earthquake tsunami evacuation rescue magnitude aftershock collapsed buildings survivors emergency shelters coast quake damage victims'.split(' ');
const COMMON = 'the a is today just really so my this what new and we it'.split(' ');

function post(rand: () => number, words: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < 10; i++) out.push(i % 3 === 2 ? COMMON[Math.floor(rand() * COMMON.length)]! : words[Math.floor(rand() * words.length)]!);
  return out.join(' ');
}

describe('drift statistics over a glove-embedded stream', () => {
  let glove: EmbeddingProvider;
  const base = Object.values(TOPICS);
  beforeAll(async () => {
    glove = await loadGloveProvider(join(process.cwd(), 'models/glove-100d'), { intraOpThreads: 1, batchSize: 256 });
  });
  afterAll(() => glove?.dispose());

  const windowOf = async (rand: () => number, shiftShare: number) =>
    glove.embed(Array.from({ length: WINDOW }, () => post(rand, rand() < shiftShare ? SHIFT : base[Math.floor(rand() * base.length)]!)));

  it('a stationary stream raises no alert over many windows (false-alarm rate measured)', async () => {
    const rand = mulberry32(7);
    const ref = summarise(await windowOf(rand, 0));
    const windows = 600;
    let streak = 0;
    let drifted = 0;
    let alerts = 0;
    let maxMmd = 0;
    let maxCentroid = 0;
    let maxDims = 0;
    for (let w = 0; w < windows; w++) {
      const step = driftStep(ref, await windowOf(rand, 0), T, streak, ALERT_WINDOWS);
      streak = step.streak;
      if (step.drifted) drifted++;
      if (step.alert) alerts++;
      maxMmd = Math.max(maxMmd, step.stats.mmd);
      maxCentroid = Math.max(maxCentroid, step.stats.centroidShift);
      maxDims = Math.max(maxDims, step.stats.driftedDimsShare);
    }
    console.log(`[drift] stationary: ${windows} windows of ${WINDOW}: drifted windows ${drifted} (${((drifted / windows) * 100).toFixed(2)}%), alerts ${alerts}; max centroid ${maxCentroid.toExponential(2)}, max dims share ${maxDims}, max mmd ${maxMmd.toExponential(2)}`);
    expect(alerts).toBe(0);
  }, 120_000);

  it('a topic shift raises the alert within the configured windows', async () => {
    const rand = mulberry32(11);
    const ref = summarise(await windowOf(rand, 0));
    let streak = 0;
    for (let w = 0; w < 5; w++) streak = driftStep(ref, await windowOf(rand, 0), T, streak, ALERT_WINDOWS).streak;
    expect(streak).toBe(0);
    // From here 30% of posts are about a new topic.
    let alertedAt = -1;
    for (let w = 0; w < ALERT_WINDOWS + 2 && alertedAt < 0; w++) {
      const step = driftStep(ref, await windowOf(rand, 0.3), T, streak, ALERT_WINDOWS);
      streak = step.streak;
      if (step.alert) alertedAt = w;
    }
    console.log(`[drift] shift (30% new topic): alert at window ${alertedAt + 1} after the shift`);
    expect(alertedAt).toBe(ALERT_WINDOWS - 1);
  }, 60_000);

  it('the statistics are zero for identical windows and grow with the share shifted', async () => {
    const rand = mulberry32(3);
    const a = await windowOf(rand, 0);
    const s = summarise(a);
    expect(compare(s, s, T.k)).toEqual({ centroidShift: expect.closeTo(0, 9), driftedDimsShare: 0, mmd: 0 });
    const m10 = compare(s, summarise(await windowOf(rand, 0.1)), T.k).mmd;
    const m50 = compare(s, summarise(await windowOf(rand, 0.5)), T.k).mmd;
    expect(m50).toBeGreaterThan(m10);
  }, 60_000);
});

describe('query-side stats', () => {
  it('keeps a rolling median and the share below the floor', () => {
    const q = new QueryStats(4);
    expect(q.snapshot(0.5)).toEqual({ searches: 0, medianTop1: null, belowFloorShare: null });
    for (const v of [0.9, 0.8, 0.2, null, 0.7, 0.6]) q.note(v); // the first two rolled out
    expect(q.snapshot(0.5)).toEqual({ searches: 4, medianTop1: 0.4, belowFloorShare: 0.5 });
  });
});
