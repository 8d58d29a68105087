import { useCallback, useState } from 'react';
import { api, call, describeError, type GapDto, type SourceDto } from '../api/client.js';
import { fmtAgo, fmtDateTime, fmtDuration, fmtNum } from '../lib/format.js';
import { href } from '../lib/router.js';
import { usePoll } from '../lib/usePoll.js';

const STATE_CLASS: Record<string, string> = { connected: 'ok', connecting: 'warn', 'backing-off': 'warn', 'auth-failed': 'bad', stopped: 'muted', unreported: 'bad', unknown: 'muted' };
const STATE_LABEL: Record<string, string> = { connecting: 'reconnecting', 'backing-off': 'reconnecting (backing off)' };

export function Sources({ selected }: { selected?: string }) {
  const [sources, setSources] = useState<SourceDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setSources(await call(api().GET('/sources', {})));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);
  usePoll(load, 2000);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Sources</h1>
        <span className="muted">refreshed every 2 s</span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {sources && sources.length === 0 && (
        <div className="empty">
          <p>
            <strong>No sources configured.</strong> Set <code>RELAY_SOURCES</code> on the relay role, e.g.{' '}
            <code>{'[{"name":"bsky","kind":"jetstream","url":"wss://…/subscribe","resume":true}]'}</code>.
          </p>
        </div>
      )}
      <div className="cards">
        {sources?.map((s) => {
          const state = STATE_LABEL[s.state] ?? s.state;
          return (
            <article key={s.name} className={`card source ${s.name === selected ? 'selected' : ''}`} data-testid="source" data-name={s.name} data-state={s.state}>
              <div className="card-head">
                <h2>{s.name}</h2>
                <span className={`pill pill-${STATE_CLASS[s.state] ?? 'muted'}`} data-testid="source-state">
                  {state}
                </span>
              </div>
              <dl className="kv">
                <div><dt>kind</dt><dd>{s.kind ?? '—'}</dd></div>
                <div><dt>relay lag</dt><dd data-testid="relay-lag" title="how long the oldest event not yet stored has waited in the relay">{s.relayLagSeconds === undefined ? '—' : fmtDuration(s.relayLagSeconds * 1000)}</dd></div>
                <div><dt>data age</dt><dd title="now minus the source's time of the newest stored event (large for a replay: the events are old, the relay is not late)">{s.eventAgeSeconds === null || s.eventAgeSeconds === undefined ? '—' : fmtDuration(s.eventAgeSeconds * 1000)}</dd></div>
                <div><dt>reconnects</dt><dd>{s.reconnects ?? 0}</dd></div>
                <div><dt>last frame</dt><dd>{fmtAgo(s.lastFrameAt)}</dd></div>
                <div><dt>cursor</dt><dd className="mono" title={s.storedCursorAt ? `stored ${fmtDateTime(s.storedCursorAt)}` : undefined}>{s.storedCursor ?? '—'}</dd></div>
                <div><dt>gaps</dt><dd>{s.gapsRecorded ?? 0}</dd></div>
                <div><dt>quarantined</dt><dd>{s.quarantined ?? 0}</dd></div>
                <div><dt>relay</dt><dd className="mono">{s.relay ?? '—'}</dd></div>
              </dl>
              {s.lastError && <p className="error small">last error: {s.lastError}</p>}
              <a href={s.name === selected ? '#/sources' : href(['sources', s.name])} aria-expanded={s.name === selected}>
                {s.name === selected ? 'Hide gaps' : 'Show gaps'}
              </a>
              {s.name === selected && <Gaps name={s.name} />}
            </article>
          );
        })}
      </div>
    </section>
  );
}

function Gaps({ name }: { name: string }) {
  const [gaps, setGaps] = useState<GapDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setGaps(await call(api().GET('/sources/{name}/gaps', { params: { path: { name }, query: { limit: 50 } } })));
    } catch (err) {
      setError(describeError(err));
    }
  }, [name]);
  usePoll(load, 10_000);
  if (error) return <p className="error">{error}</p>;
  if (!gaps) return <p className="muted">Loading gaps…</p>;
  if (!gaps.length) return <p className="muted">No gaps recorded: every reconnect resumed where it left off.</p>;
  return (
    <table className="gaps">
      <thead>
        <tr>
          <th scope="col">from</th>
          <th scope="col">to</th>
          <th scope="col" className="num">missing</th>
          <th scope="col">reason</th>
        </tr>
      </thead>
      <tbody>
        {gaps.map((g) => (
          <tr key={g.id}>
            <td>{fmtDateTime(g.gapStart)}</td>
            <td>{fmtDateTime(g.gapEnd)}</td>
            <td className="num">{fmtDuration(g.durationMs)}</td>
            <td>{g.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
