import { useEffect, useState, type FormEvent } from 'react';
import { api, call, describeError, type SearchResult } from '../api/client.js';
import { fmtNum } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { EventRow } from './EventRow.js';

type Mode = 'hybrid' | 'semantic' | 'keyword';
const MODES: Mode[] = ['hybrid', 'semantic', 'keyword'];

export function Search({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const mode = (MODES.includes(query.get('mode') as Mode) ? query.get('mode') : 'hybrid') as Mode;
  const source = query.get('source') ?? '';
  const since = query.get('since') ?? '';
  const entity = query.get('entity') ?? '';
  const similar = query.get('similar') ?? '';
  const [draft, setDraft] = useState({ q, mode, source, since, entity });
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setDraft({ q, mode, source, since, entity }), [q, mode, source, since, entity]);
  useEffect(() => {
    if (!q && !similar) return setResult(null);
    let cancelled = false;
    setLoading(true);
    const req = similar
      ? call(api().GET('/events/{id}/similar', { params: { path: { id: similar }, query: { limit: 20 } } }))
      : call(
          api().GET('/search', {
            params: { query: { q, mode, limit: 20, source: source || undefined, entity: entity || undefined, since: since ? new Date(since).toISOString() : undefined } },
          }),
        );
    req
      .then((r) => !cancelled && (setResult(r), setError(null)))
      .catch((err) => !cancelled && (setError(describeError(err)), setResult(null)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [q, mode, source, since, entity, similar]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(['search'], { q: draft.q.trim(), mode: draft.mode, source: draft.source.trim(), entity: draft.entity.trim(), since: draft.since });
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>Search</h1>
      </div>
      <form className="searchbar" onSubmit={submit} role="search">
        <label htmlFor="q" className="sr-only">
          Query
        </label>
        <input id="q" type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} placeholder="central bank raising rates" autoFocus />
        <fieldset className="modes">
          <legend className="sr-only">Mode</legend>
          {MODES.map((m) => (
            <label key={m} className={draft.mode === m ? 'on' : undefined}>
              <input type="radio" name="mode" value={m} checked={draft.mode === m} onChange={() => setDraft({ ...draft, mode: m })} />
              {m}
            </label>
          ))}
        </fieldset>
        <label>
          <span className="sr-only">Source</span>
          <input value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })} placeholder="source (any)" className="narrow-input" />
        </label>
        <label>
          <span className="sr-only">Entity</span>
          <input value={draft.entity} onChange={(e) => setDraft({ ...draft, entity: e.target.value })} placeholder="entity ($btc, #ai)" className="narrow-input" data-testid="entity-filter" />
        </label>
        <label>
          <span className="sr-only">Since</span>
          <input type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} title="since" />
        </label>
        <button type="submit">Search</button>
      </form>
      {similar && (
        <p className="note">
          Events similar to event <code>{similar}</code>.{' '}
          <a href="#/search" onClick={() => undefined}>
            New search
          </a>
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <div className="result-meta" data-testid="result-meta" data-mode={result.mode}>
          <span>
            mode <b>{result.mode}</b>
          </span>
          {result.model && <span>model {result.model}</span>}
          {result.coverage !== null && result.coverage !== undefined && <span>coverage {Math.round(result.coverage * 100)}%</span>}
          <span>{result.hits.length} results</span>
          {loading && <span className="muted">updating…</span>}
        </div>
      )}
      {result?.fallback && (
        <p className="banner banner-warn" data-testid="fallback" role="status">
          {result.mode !== (similar ? 'semantic' : mode) ? (
            <>
              Answered in <b>{result.mode}</b> mode instead of {mode}: {result.fallback}
            </>
          ) : (
            <>Note: {result.fallback}</>
          )}
        </p>
      )}
      {!q && !similar && (
        <div className="empty">
          <p>
            <strong>Search every stored event.</strong> <em>hybrid</em> fuses meaning and keywords, <em>semantic</em> finds posts about the same thing in other words, <em>keyword</em> matches the words.
          </p>
        </div>
      )}
      {result && result.hits.length === 0 && (
        <div className="empty">
          <p>No events match. Try other words, the <em>semantic</em> mode, or drop the source filter.</p>
        </div>
      )}
      <div className="feed" data-testid="results">
        {result?.hits.map((h) => (
          <EventRow
            key={h.event.id}
            e={h.event}
            extra={
              <span className="scores">
                <span title="ranking score" className="score">
                  {fmtNum(h.score, 4)}
                </span>
                {h.semantic !== null && h.semantic !== undefined && <span title="cosine similarity">sem {fmtNum(h.semantic, 2)}</span>}
                {h.keyword !== null && h.keyword !== undefined && <span title="keyword rank">kw {fmtNum(h.keyword, 3)}</span>}
                <a href={`#/search?similar=${encodeURIComponent(h.event.id)}`} className="similar">
                  similar
                </a>
              </span>
            }
          />
        ))}
      </div>
    </section>
  );
}
