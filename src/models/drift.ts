import { mulberry32 } from '../../libs/common/random.js';

/**
 * Embedding drift statistics, all one pass over the vectors (O(n·d), plus O(n·d·F) for the
 * random features) and a few kB of state per reference window:
 *
 * - **centroid shift**: 1 − cos(mean of reference, mean of window).
 * - **drifted dimensions**: per dimension, |mean_w − mean_r| / sqrt(var_r/n_r + var_w/n_w) > k
 *   (a two-sample z test per dimension, the "share of drifted components" Evidently uses);
 *   the share of such dimensions.
 * - **MMD²** with a random-Fourier-feature Gaussian kernel (Rahimi & Recht): each unit vector
 *   maps to F features cos(wᵀx + b)·sqrt(2/F); MMD² ≈ ‖mean φ(ref) − mean φ(win)‖². Unlike
 *   the linear kernel (which is only the centroid distance) it also sees spread changes.
 */
export interface WindowSummary {
  n: number;
  dims: number;
  mean: number[];
  variance: number[];
  /** Mean of the random features (length RFF_FEATURES). */
  rff: number[];
  /** Seed of the random features, so reference and window use the same map. */
  seed: number;
}

export interface DriftStats {
  centroidShift: number;
  driftedDimsShare: number;
  mmd: number;
}

export const RFF_FEATURES = 128;
/** Kernel bandwidth for unit vectors (distances lie in [0, 2]). */
const RFF_SIGMA = 1;

function rffMap(dims: number, seed: number) {
  const rand = mulberry32(seed);
  const gauss = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const w = new Float64Array(RFF_FEATURES * dims);
  for (let i = 0; i < w.length; i++) w[i] = gauss() / RFF_SIGMA;
  const b = Float64Array.from({ length: RFF_FEATURES }, () => rand() * 2 * Math.PI);
  return { w, b };
}

export function summarise(vectors: ArrayLike<number>[], seed = 1): WindowSummary {
  const n = vectors.length;
  const dims = n ? vectors[0]!.length : 0;
  const mean = new Float64Array(dims);
  const m2 = new Float64Array(dims);
  const rff = new Float64Array(RFF_FEATURES);
  const { w, b } = rffMap(dims, seed);
  const unit = new Float64Array(dims);
  const scale = Math.sqrt(2 / RFF_FEATURES);
  let k = 0;
  for (const v of vectors) {
    k++;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const x = v[d]!;
      norm += x * x;
      const delta = x - mean[d]!; // Welford
      mean[d]! += delta / k;
      m2[d]! += delta * (x - mean[d]!);
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) unit[d] = v[d]! / norm;
    for (let f = 0; f < RFF_FEATURES; f++) {
      let dot = b[f]!;
      const o = f * dims;
      for (let d = 0; d < dims; d++) dot += w[o + d]! * unit[d]!;
      rff[f]! += (Math.cos(dot) * scale) / n;
    }
  }
  return { n, dims, mean: Array.from(mean), variance: Array.from(m2, (x) => (n > 1 ? x / (n - 1) : 0)), rff: Array.from(rff), seed };
}

export function compare(ref: WindowSummary, win: WindowSummary, k: number): DriftStats {
  if (ref.dims !== win.dims) throw new Error(`reference has ${ref.dims} dims, window ${win.dims}`);
  if (ref.seed !== win.seed) throw new Error('reference and window use different random features');
  let dot = 0;
  let nr = 0;
  let nw = 0;
  let drifted = 0;
  for (let d = 0; d < ref.dims; d++) {
    const a = ref.mean[d]!;
    const c = win.mean[d]!;
    dot += a * c;
    nr += a * a;
    nw += c * c;
    const se = Math.sqrt(ref.variance[d]! / Math.max(1, ref.n) + win.variance[d]! / Math.max(1, win.n));
    if (se > 0 ? Math.abs(c - a) / se > k : c !== a) drifted++;
  }
  const cos = nr > 0 && nw > 0 ? dot / Math.sqrt(nr * nw) : 1;
  let mmd = 0;
  for (let f = 0; f < RFF_FEATURES; f++) mmd += (ref.rff[f]! - win.rff[f]!) ** 2;
  return { centroidShift: 1 - cos, driftedDimsShare: ref.dims ? drifted / ref.dims : 0, mmd };
}

export interface DriftThresholds {
  k: number;
  dimsShare: number;
  centroid: number;
  mmd: number;
}

export const isDrifted = (s: DriftStats, t: DriftThresholds) => s.driftedDimsShare > t.dimsShare || s.centroidShift > t.centroid || s.mmd > t.mmd;

/**
 * Query-side drift, kept in memory per api process: the last N searches' best semantic
 * similarity. Median and the share below the floor are computed on read (N is small).
 */
export class QueryStats {
  private readonly top1: number[] = [];
  private next = 0;
  constructor(private readonly size = 500) {}

  note(bestSimilarity: number | null) {
    const v = bestSimilarity ?? 0; // no semantic hit at all counts as nothing relevant
    if (this.top1.length < this.size) this.top1.push(v);
    else this.top1[this.next] = v;
    this.next = (this.next + 1) % this.size;
  }

  snapshot(floor: number): { searches: number; medianTop1: number | null; belowFloorShare: number | null } {
    const n = this.top1.length;
    if (!n) return { searches: 0, medianTop1: null, belowFloorShare: null };
    const sorted = [...this.top1].sort((a, b) => a - b);
    const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    return { searches: n, medianTop1: median, belowFloorShare: this.top1.filter((v) => v < floor).length / n };
  }
}
