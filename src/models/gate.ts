/**
 * The evaluation gate: scores are stored per model as `{ [mode]: { [metric]: number } }` (e.g.
 * `{ hybrid: { p10: 0.62, ndcg10: 0.71, mrr: 0.8, recall10: 0.66 } }`). The harness that
 * produces them lives in src/relevance (evaluateRetrieval); this side only stores and compares.
 */
export type ModelScores = Record<string, Record<string, number>>;

/**
 * The shape of the relevance harness's report, as far as the registry needs it: per mode, the
 * four retrieval metrics. Extra fields are ignored.
 */
export interface RelevanceReportLike {
  /** Per mode, its metrics; other fields (e.g. read from a JSON file) are ignored. */
  modes: { [mode: string]: object | undefined };
}

/** Turns a relevance report into the registry's score set (the one call `sift models eval` makes after the harness ran). */
export function scoresFromRelevanceReport(report: RelevanceReportLike): ModelScores {
  if (!report || typeof report !== 'object' || !report.modes || typeof report.modes !== 'object') throw new Error('relevance report has no `modes`');
  const out: ModelScores = {};
  for (const [mode, metrics] of Object.entries(report.modes)) {
    const m: Record<string, number> = {};
    for (const [k, v] of Object.entries(metrics ?? {})) if (typeof v === 'number' && Number.isFinite(v)) m[k] = v;
    if (Object.keys(m).length) out[mode] = m;
  }
  if (!Object.keys(out).length) throw new Error('relevance report has no numeric metric');
  return out;
}

export interface GateShortfall {
  mode: string;
  metric: string;
  candidate: number | null;
  baseline: number;
}

export type GateResult = { ok: true } | { ok: false; reason: string; shortfalls: GateShortfall[] };

/**
 * Refuses when any metric the baseline has is missing from the candidate or lower than the
 * baseline's by more than `tolerance` (absolute). With no baseline scores there is nothing to
 * fall below, so any candidate with scores passes; a candidate without scores never does.
 */
export function gate(candidate: ModelScores | null | undefined, baseline: ModelScores | null | undefined, tolerance: number): GateResult {
  if (!candidate || !Object.keys(candidate).length) return { ok: false, reason: 'the candidate has no evaluation scores (run `sift models eval`, or promote with --force)', shortfalls: [] };
  const shortfalls: GateShortfall[] = [];
  for (const [mode, metrics] of Object.entries(baseline ?? {})) {
    for (const [metric, base] of Object.entries(metrics)) {
      const got = candidate[mode]?.[metric];
      if (typeof got !== 'number') shortfalls.push({ mode, metric, candidate: null, baseline: base });
      else if (got < base - tolerance) shortfalls.push({ mode, metric, candidate: got, baseline: base });
    }
  }
  if (!shortfalls.length) return { ok: true };
  const list = shortfalls.map((s) => `${s.mode} ${s.metric} ${s.candidate === null ? 'missing' : s.candidate.toFixed(3)} < ${s.baseline.toFixed(3)} − ${tolerance}`).join('; ');
  return { ok: false, reason: `scores below the baseline by more than ${tolerance}: ${list}`, shortfalls };
}
