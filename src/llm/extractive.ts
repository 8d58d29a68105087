/**
 * The no-model tier: a deterministic summary of the texts the caller supplied. Sentences are
 * scored by how many of the corpus' frequent content words they hold (a TextRank-lite that needs
 * no model), the best are kept in their original order, and each cites the text it came from.
 */
export interface SourceText {
  id: string;
  text: string;
}

const STOP = new Set(
  'a an and are as at be but by for from has have he her his i in is it its of on or our she so that the their them they this to was we were what when which who will with you your not no yes do does did than then there these those been into over about after before more most also can could would should just only'.split(' '),
);

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}$#@][\p{L}\p{N}_'-]*/gu) ?? [];

export function extractiveSummary(texts: SourceText[], maxSentences = 3, maxChars = 600): { text: string; citations: string[] } {
  const sentences: { id: string; text: string; order: number; score: number }[] = [];
  const freq = new Map<string, number>();
  for (const t of texts) {
    for (const w of new Set(words(t.text))) if (!STOP.has(w) && w.length > 2) freq.set(w, (freq.get(w) ?? 0) + 1);
  }
  let order = 0;
  for (const t of texts) {
    for (const raw of t.text.split(/(?<=[.!?])\s+|\n+/)) {
      const s = raw.replace(/\s+/g, ' ').trim();
      if (s.length < 3) continue;
      const ws = words(s).filter((w) => !STOP.has(w) && w.length > 2);
      const score = ws.length ? ws.reduce((sum, w) => sum + (freq.get(w) ?? 0), 0) / Math.sqrt(ws.length) : 0;
      sentences.push({ id: t.id, text: s, order: order++, score });
    }
  }
  if (!sentences.length) return { text: '', citations: [] };
  // Highest score first; ties by position so the answer is the same on every run.
  const best = [...sentences].sort((a, b) => b.score - a.score || a.order - b.order);
  const picked: typeof sentences = [];
  let chars = 0;
  for (const s of best) {
    if (picked.length >= maxSentences) break;
    if (picked.some((p) => p.text === s.text)) continue;
    const piece = s.text.length > maxChars ? `${s.text.slice(0, maxChars - 1)}…` : s.text;
    if (picked.length && chars + piece.length > maxChars) continue;
    picked.push({ ...s, text: piece });
    chars += piece.length;
  }
  picked.sort((a, b) => a.order - b.order);
  return { text: picked.map((p) => `${p.text} [${p.id}]`).join(' '), citations: [...new Set(picked.map((p) => p.id))] };
}
