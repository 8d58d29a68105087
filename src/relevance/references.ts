/**
 * Reference retrievers computed outside Postgres over the same texts and vectors, so the
 * product's legs can be compared with what they should reach: a plain in-memory BM25 (its own
 * tokenizer: lowercase words, English stop words dropped, a light plural/suffix fold) and an
 * exact cosine scan.
 */
const STOP = new Set(
  ("a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves s t don").split(' '),
);

export function tokenize(text: string): string[] {
  return (text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => (w.length > 4 && w.endsWith('ies') ? w.slice(0, -3) + 'y' : w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

export class Bm25Index {
  private readonly docs: { id: string; tf: Map<string, number>; len: number }[] = [];
  private readonly df = new Map<string, number>();
  private avgLen = 0;

  constructor(docs: readonly { id: string; text: string }[], private readonly k1 = 1.2, private readonly b = 0.75) {
    for (const d of docs) {
      const tf = new Map<string, number>();
      const toks = tokenize(d.text);
      for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.docs.push({ id: d.id, tf, len: toks.length });
      this.avgLen += toks.length;
    }
    this.avgLen /= Math.max(1, this.docs.length);
  }

  search(q: string, k: number): string[] {
    const terms = [...new Set(tokenize(q))];
    const n = this.docs.length;
    const scored: { id: string; s: number }[] = [];
    for (const d of this.docs) {
      let s = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const df = this.df.get(t)!;
        s += Math.log(1 + (n - df + 0.5) / (df + 0.5)) * ((f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * d.len) / this.avgLen)));
      }
      if (s > 0) scored.push({ id: d.id, s });
    }
    return scored.sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.id);
  }
}

export function exactCosine(docs: readonly { id: string; vector: Float32Array }[], q: Float32Array, k: number): string[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  const qn = norm(q);
  return docs
    .map((d) => {
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * d.vector[i]!;
      return { id: d.id, s: dot / (qn * norm(d.vector)) };
    })
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => x.id);
}
