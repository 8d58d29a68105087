/** A parsed Prometheus text exposition: name → samples with labels. */
export type Metrics = Map<string, { labels: Record<string, string>; value: number }[]>;

export function parseMetrics(text: string): Metrics {
  const out: Metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const list = out.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1]!, list);
  }
  return out;
}

const matches = (labels: Record<string, string>, where: Record<string, string>) => Object.entries(where).every(([k, v]) => labels[k] === v);

export const sum = (m: Metrics, name: string, where: Record<string, string> = {}) =>
  (m.get(name) ?? []).filter((s) => matches(s.labels, where)).reduce((a, s) => a + s.value, 0);

/** The distinct values of `labels` among a metric's samples, e.g. every (method, route) pair of a histogram. */
export function labelSets(m: Metrics, name: string, labels: string[]): Record<string, string>[] {
  const seen = new Map<string, Record<string, string>>();
  for (const s of m.get(name) ?? []) {
    const picked = Object.fromEntries(labels.map((l) => [l, s.labels[l] ?? '']));
    seen.set(JSON.stringify(picked), picked);
  }
  return [...seen.values()];
}

/** A quantile from a histogram's cumulative buckets (linear inside the bucket), or null without samples. */
export function histogramQuantile(m: Metrics, name: string, q: number, where: Record<string, string> = {}): number | null {
  const buckets = new Map<number, number>();
  for (const s of m.get(`${name}_bucket`) ?? []) {
    if (!matches(s.labels, where)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (!total) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount);
    }
    prevLe = le;
    prevCount = count;
  }
  return null;
}
