/**
 * Keyword query syntax, parsed in the api before any SQL:
 * - plain words: any of them may match (BM25 ranks documents with more and rarer ones first);
 * - "quoted phrases": a document must contain the phrase (several phrases: all of them, or any
 *   of them when joined by OR);
 * - -word or -"phrase": a document must not contain it;
 * - OR between plain words changes nothing (plain words already match any-of), and is dropped.
 * Punctuation is left to Postgres' text parser (to_tsvector / websearch_to_tsquery); control
 * characters become spaces. The result is data for bound parameters, never spliced into SQL.
 */

/** Longest query accepted (characters): a pasted post or a long question fits with room to spare. */
export const MAX_QUERY_CHARS = 2000;

export interface KeywordQuery {
  /** Free text whose distinct lexemes feed the any-term (OR) match and the BM25 score. */
  terms: string;
  /** websearch_to_tsquery text for the hard constraints (phrases, exclusions); '' when none. */
  filter: string;
  /** True when the filter holds at least one positive phrase (it can then match on its own). */
  hasPhrase: boolean;
}

export class KeywordQueryError extends Error {}

/** Why `q` cannot be searched, or undefined when it can (the controller's 400 message). */
export function keywordQueryProblem(q: string): string | undefined {
  if (q.includes('\u0000')) return 'q must not contain NUL characters';
  if ([...q].length > MAX_QUERY_CHARS) return `q must be at most ${MAX_QUERY_CHARS} characters`;
  if (!q.trim()) return 'q must not be empty';
  return undefined;
}

export function parseKeywordQuery(raw: string): KeywordQuery {
  const problem = keywordQueryProblem(raw);
  if (problem) throw new KeywordQueryError(problem);
  // eslint-disable-next-line no-control-regex
  const q = raw.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[“”„«»]/g, '"');
  const terms: string[] = [];
  const filter: string[] = [];
  let hasPhrase = false;
  // Tokens: [-]"phrase" (closing quote optional), or a run of non-space characters.
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  let pendingOr = false;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const [, neg, phrase, word] = m;
    if (phrase !== undefined) {
      const text = cleanPhrase(phrase);
      if (!text) continue;
      if (neg) filter.push(`-"${text}"`);
      else {
        if (pendingOr && filter.length && !filter[filter.length - 1]!.startsWith('-')) filter.push('OR');
        filter.push(`"${text}"`);
        terms.push(text);
        hasPhrase = true;
      }
      pendingOr = false;
      continue;
    }
    const w = word!;
    if (w === 'OR') {
      pendingOr = true;
      continue;
    }
    pendingOr = false;
    if (w.length > 1 && w.startsWith('-') && /[\p{L}\p{N}]/u.test(w)) {
      const text = cleanPhrase(w.slice(1));
      if (text) filter.push(`-"${text}"`);
      continue;
    }
    terms.push(w);
  }
  return { terms: terms.join(' '), filter: filter.join(' '), hasPhrase };
}

/** Inside a phrase only words matter; quotes and dashes would change websearch's reading. */
function cleanPhrase(s: string): string {
  return s.replace(/["\-]/g, ' ').replace(/\s+/g, ' ').trim();
}
