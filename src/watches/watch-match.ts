import type { WatchState, WatchStateUpdate } from './watches.repository.js';

export interface BatchEvent {
  id: string;
  text: string;
  entities: string[];
  source: string;
  author: string;
  ingestedAt: Date;
  vector: Float32Array | null;
}

/** Lower-case word tokens; a keyword watch matches when every query word is in the text. */
export const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Pure: does `e` match `w` (filters, then keyword and/or semantic)? Returns the similarity when semantic. */
export function matches(w: WatchState, e: BatchEvent, keywordSets: Map<string, string[]>, textWords: Set<string>): { match: boolean; similarity: number | null } {
  if (w.entity && !e.entities.includes(w.entity)) return { match: false, similarity: null };
  if (w.source && e.source !== w.source) return { match: false, similarity: null };
  if (w.author && e.author !== w.author) return { match: false, similarity: null };
  let similarity: number | null = null;
  if (w.mode !== 'semantic') {
    const kw = keywordSets.get(w.id) ?? [];
    if (!kw.length || !kw.every((k) => textWords.has(k))) return { match: false, similarity: null };
  }
  if (w.mode !== 'keyword') {
    if (!w.queryVector || !e.vector) return { match: false, similarity: null };
    similarity = cosine(w.queryVector, e.vector);
    if (similarity < (w.minSimilarity ?? 0)) return { match: false, similarity };
  }
  return { match: true, similarity };
}

export interface Firing {
  watch: WatchState;
  /** Matches this alert accounts for (this window's plus those suppressed during the cooldown). */
  count: number;
  firstEventId: string;
  sampleEventIds: string[];
  bestSimilarity: number | null;
}

/**
 * Pure trigger step for one watch over the batch's matches (in event order): the count window,
 * then the cooldown. At most ONE firing per watch per batch, so a storm becomes one alert with
 * a count; matches during a cooldown are carried in `suppressed` into the next alert.
 */
export function step(w: WatchState, hits: { eventId: string; at: Date; similarity: number | null }[], now: Date): { update: WatchStateUpdate | null; firing: Firing | null } {
  if (!hits.length) return { update: null, firing: null };
  let windowStart = w.windowStart;
  let windowCount = w.windowCount;
  let lastFiredAt = w.lastFiredAt ? new Date(w.lastFiredAt) : null;
  let suppressed = w.suppressed;
  let firing: Firing | null = null;
  const samples: string[] = [];
  let best: number | null = null;
  for (const h of hits) {
    if (!windowStart || h.at.getTime() - windowStart.getTime() > w.windowMs) {
      windowStart = h.at;
      windowCount = 0;
    }
    windowCount++;
    if (samples.length < 5) samples.push(h.eventId);
    if (h.similarity !== null) best = best === null ? h.similarity : Math.max(best, h.similarity);
    if (windowCount < w.minMatches) continue;
    const cooling = lastFiredAt && now.getTime() - lastFiredAt.getTime() < w.cooldownMs;
    if (cooling || firing) {
      suppressed++;
      if (firing) firing.count++;
      continue;
    }
    firing = { watch: w, count: windowCount + suppressed, firstEventId: h.eventId, sampleEventIds: samples, bestSimilarity: best };
    suppressed = 0;
    lastFiredAt = now;
  }
  if (firing) {
    firing.bestSimilarity = best;
    suppressed = 0; // every match of this batch is in the firing's count
  }
  return { update: { id: w.id, windowStart, windowCount, lastFiredAt, suppressed }, firing };
}
