import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, call, describeError, type EventDto, type TrendItem, type TrendSeries } from '../api/client.js';
import { TimeChart, Sparkline } from '../lib/Chart.js';
import { fmtNum, fmtTime } from '../lib/format.js';
import { latestTrends, onLive } from '../lib/live.js';
import { href, navigate } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { usePoll } from '../lib/usePoll.js';
import { EventRow } from './EventRow.js';

export function Trends({ entity }: { entity?: string }) {
  const pushed = useStore(latestTrends);
  const [items, setItems] = useState<TrendItem[] | null>(null);
  const [meta, setMeta] = useState<{ computedAt: string; window: number; baseline: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const t = await call(api().GET('/trends', {}));
      setItems(t.items);
      setMeta({ computedAt: t.computedAt, window: t.shortWindowMinutes, baseline: t.baselineMinutes });
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);
  // The socket's `trends` broadcast replaces the board as soon as the momentum job changes it; the
  // slow poll only covers a board that is stable (no broadcast) but whose counts moved.
  usePoll(load, 30_000);
  useEffect(() => {
    if (!pushed) return;
    setItems(pushed.top as TrendItem[]);
    setMeta({ computedAt: pushed.computedAt, window: pushed.shortWindowMinutes, baseline: pushed.baselineMinutes });
  }, [pushed]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Trends</h1>
        {meta && (
          <span className="muted">
            last {meta.window} min vs the {Math.round(meta.baseline / 60)} h before · computed {fmtTime(meta.computedAt)} {pushed ? '· live' : ''}
          </span>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className={entity ? 'split' : undefined}>
        <div className="card">
          <table className="board" data-testid="leaderboard">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Entity</th>
                <th scope="col" className="num">Count</th>
                <th scope="col" className="num">Score</th>
                <th scope="col" className="num">z</th>
                <th scope="col" className="hide-sm">Last {items?.[0]?.sparkline.length ?? 30} min</th>
              </tr>
            </thead>
            <tbody>
              {items?.map((t) => (
                <tr key={t.entity} aria-selected={t.entity === entity} className={t.entity === entity ? 'selected' : undefined}>
                  <td>{t.rank}</td>
                  <td>
                    <a href={href(['trends', t.entity])} className="entity">
                      {t.entity}
                    </a>{' '}
                    <span className="kind">{t.kind}</span>
                  </td>
                  <td className="num">{t.count}</td>
                  <td className="num">{fmtNum(t.score)}</td>
                  <td className="num">{fmtNum(t.z, 1)}</td>
                  <td className="hide-sm">
                    <Sparkline values={t.sparkline} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items && items.length === 0 && (
            <div className="empty">
              <p>
                <strong>Nothing is gaining momentum right now.</strong> An entity ranks once it has at least a few mentions in the short window and clearly beats its own baseline.
              </p>
              <p className="muted">Look up any entity directly:</p>
              <EntityLookup />
            </div>
          )}
          {items && items.length > 0 && <EntityLookup />}
          {!items && !error && <p className="muted pad">Loading…</p>}
        </div>
        {entity && <EntityDetail entity={entity} />}
      </div>
    </section>
  );
}

function EntityLookup() {
  const [v, setV] = useState('');
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (v.trim()) navigate(['trends', v.trim()]);
      }}
    >
      <label htmlFor="entity-lookup" className="sr-only">
        Entity
      </label>
      <input id="entity-lookup" value={v} onChange={(e) => setV(e.target.value)} placeholder="$btc, #ai, example.com" />
      <button type="submit">Show</button>
    </form>
  );
}

function EntityDetail({ entity }: { entity: string }) {
  const [series, setSeries] = useState<TrendSeries | null>(null);
  const [events, setEvents] = useState<EventDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [minutes, setMinutes] = useState(120);

  const load = useCallback(async () => {
    try {
      const [s, e] = await Promise.all([
        call(api().GET('/trends/{entity}', { params: { path: { entity }, query: { minutes, step: minutes > 360 ? 5 : 1 } } })),
        call(api().GET('/events', { params: { query: { entity, limit: 20 } } })),
      ]);
      setSeries(s);
      setEvents(e.items);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, [entity, minutes]);
  usePoll(load, 15_000);
  useEffect(() => {
    setSeries(null);
    setEvents([]);
  }, [entity]);
  // New mentions show up in the recent list as they are stored.
  useEffect(
    () =>
      onLive((batch) => {
        const mine = batch.flatMap((x) => (x.type === 'event' && x.event.entities.includes(entity.toLowerCase()) ? [x.event] : []));
        if (mine.length) setEvents((prev) => [...mine.reverse(), ...prev.filter((p) => !mine.some((m) => m.id === p.id))].slice(0, 20));
      }),
    [entity],
  );
  const x = useMemo(() => series?.points.map((p) => new Date(p.t).getTime() / 1000) ?? [], [series]);
  const ys = useMemo(() => [{ label: 'mentions', values: series?.points.map((p) => p.count) ?? [], fill: true }], [series]);
  const c = series?.current;
  return (
    <div className="card detail" data-testid="entity-detail">
      <div className="card-head">
        <h2>{entity}</h2>
        <label>
          Range{' '}
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            <option value={60}>1 h</option>
            <option value={120}>2 h</option>
            <option value={360}>6 h</option>
            <option value={1440}>24 h</option>
          </select>
        </label>
        <a href="#/trends" className="close" aria-label="Close detail">
          ×
        </a>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {c && (
        <dl className="kv">
          <div><dt>count</dt><dd>{c.count}</dd></div>
          <div><dt>expected</dt><dd>{fmtNum(c.expected)}</dd></div>
          <div><dt>score</dt><dd>{fmtNum(c.score)}</dd></div>
          <div><dt>z</dt><dd>{fmtNum(c.z, 1)}</dd></div>
          <div><dt>accel.</dt><dd>{fmtNum(c.acceleration)}</dd></div>
        </dl>
      )}
      {series && series.points.length > 0 ? (
        <TimeChart x={x} series={ys} label={`Mentions of ${entity} per ${series.stepMinutes} min`} yLabel={`per ${series.stepMinutes} min`} />
      ) : (
        series && <p className="empty">No mentions of {entity} in this range.</p>
      )}
      <h3>Recent events</h3>
      {events.length === 0 && <p className="muted">No stored events mention {entity} yet.</p>}
      <div className="feed compact">
        {events.map((e) => (
          <EventRow key={e.id} e={e} />
        ))}
      </div>
    </div>
  );
}
