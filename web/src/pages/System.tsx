import { useCallback, useMemo, useState } from 'react';
import { api, call, describeError, getReady, getText, type ReadyBody, type SystemOverview } from '../api/client.js';
import { TimeChart } from '../lib/Chart.js';
import { fmtNum } from '../lib/format.js';
import { histogramQuantile, labelSets, parseMetrics, sum, type Metrics } from '../lib/metrics.js';
import { usePoll } from '../lib/usePoll.js';

const POLL_MS = 3000;
const KEEP = 120; // 10 min of samples
const HTTP = 'sift_http_request_duration_seconds';

interface Sample {
  t: number;
  stored: number;
  rate: number | null;
}

/** Kept across page visits so the rate chart does not start empty each time. */
const history: Sample[] = [];

const ms = (seconds: number | null | undefined, digits = 0) => (seconds === null || seconds === undefined ? '—' : `${fmtNum(seconds * 1000, digits)} ms`);

/**
 * Platform-wide figures come from GET /system (database, job queue, relay reports: right with split
 * roles too); latency and sockets from this api instance's /metrics.
 */
export function System() {
  const [ready, setReady] = useState<{ status: number; body: ReadyBody } | null>(null);
  const [overview, setOverview] = useState<SystemOverview | null>(null);
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [samples, setSamples] = useState<Sample[]>(() => [...history]);

  const load = useCallback(async () => {
    try {
      const [r, o, text] = await Promise.all([getReady(), call(api().GET('/system')), getText('/metrics')]);
      setReady(r);
      setOverview(o);
      setMetrics(parseMetrics(text));
      const now = Date.now() / 1000;
      const stored = o.ingest.storedTotal;
      const prev = history.at(-1);
      // A gap longer than a few polls (page was away) or a counter reset (relay restart) starts a new line.
      const fresh = prev && now - prev.t < (POLL_MS / 1000) * 4 && stored >= prev.stored;
      history.push({ t: now, stored, rate: fresh ? (stored - prev.stored) / (now - prev.t) : null });
      if (history.length > KEEP) history.splice(0, history.length - KEEP);
      setSamples([...history]);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);
  usePoll(load, POLL_MS);

  const x = useMemo(() => samples.map((s) => s.t), [samples]);
  const rateSeries = useMemo(() => [{ label: 'events/s stored', values: samples.map((s) => s.rate), fill: true }], [samples]);
  const details = ready?.body.details ?? {};
  const emb = overview?.embeddings;
  const m = metrics;
  const routes = useMemo(() => (m ? routeLatency(m) : []), [m]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>System</h1>
        {ready && (
          <span className={`pill pill-${ready.status === 200 ? 'ok' : 'bad'}`} data-testid="ready">
            {ready.status === 200 ? 'ready' : 'not ready'}
          </span>
        )}
        {overview && (
          <span className="muted small" data-testid="process">
            this api: {overview.process.roles.join(', ')} · pid {overview.process.pid}
          </span>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="cards">
        <article className="card">
          <h2>Readiness</h2>
          {!ready && <p className="muted">Loading…</p>}
          <ul className="indicators">
            {Object.entries(details).map(([name, d]) => (
              <li key={name} data-testid="indicator" data-name={name} data-status={d.status}>
                <span className={`pill pill-${d.status === 'up' ? 'ok' : 'bad'}`}>{d.status}</span> <b>{name}</b>
                {d.status !== 'up' && typeof d.error === 'string' && <span className="error small"> {d.error}</span>}
                {name === 'relay' && Array.isArray(d.sources) && <span className="muted small"> {(d.sources as unknown[]).length} source(s)</span>}
              </li>
            ))}
          </ul>
        </article>
        <article className="card" data-testid="embeddings">
          <h2>Embeddings</h2>
          {emb ? (
            <dl className="kv">
              <div><dt>state</dt><dd>{emb.state}{emb.reason ? <span className="muted small"> {emb.reason}</span> : null}</dd></div>
              <div><dt>model</dt><dd className="mono">{emb.model ?? '—'}</dd></div>
              <div><dt>dims</dt><dd>{emb.dims ?? '—'}</dd></div>
              <div><dt>device</dt><dd>{emb.device ?? '—'}</dd></div>
              <div><dt>coverage</dt><dd data-testid="coverage" title="share of hot events with a vector from the active model (database count)">{emb.coverage === null ? '—' : `${fmtNum(emb.coverage * 100, 1)}%`}</dd></div>
              <div><dt>embed jobs queued</dt><dd>{embedJobs(overview)}</dd></div>
            </dl>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </article>
        <article className="card">
          <h2>Queues & mover</h2>
          <dl className="kv">
            {overview?.queues.map((q) => (
              <div key={q.name} data-testid="queue" data-name={q.name}><dt>{q.name}</dt><dd>{q.depth < 0 ? 'unreadable' : fmtNum(q.depth)}</dd></div>
            ))}
            <div><dt>mover lag</dt><dd data-testid="mover-lag">{overview?.mover.lagSeconds === null || !overview ? '—' : `${fmtNum(overview.mover.lagSeconds, 1)} s`}</dd></div>
            <div><dt>oldest hot</dt><dd>{overview?.mover.oldestHotAgeSeconds === null || !overview ? '—' : `${fmtNum(overview.mover.oldestHotAgeSeconds / 60, 1)} min of ${fmtNum(overview.mover.hotWindowSeconds / 3600, 1)} h`}</dd></div>
            <div><dt>relay buffers</dt><dd>{overview ? fmtNum(overview.ingest.bufferedTotal) : '—'}</dd></div>
            <div><dt>sources connected</dt><dd>{overview ? `${overview.ingest.connected} of ${overview.ingest.sources}` : '—'}</dd></div>
            <div><dt>socket clients</dt><dd>{m ? fmtNum(sum(m, 'sift_socket_clients')) : '—'}</dd></div>
          </dl>
        </article>
        <article className="card">
          <h2>Latency</h2>
          <dl className="kv">
            <div><dt>requests p50</dt><dd>{ms(m && histogramQuantile(m, HTTP, 0.5), 1)}</dd></div>
            <div><dt>requests p95</dt><dd>{ms(m && histogramQuantile(m, HTTP, 0.95), 1)}</dd></div>
            <div><dt>requests p99</dt><dd>{ms(m && histogramQuantile(m, HTTP, 0.99), 1)}</dd></div>
            <div><dt>search p99</dt><dd>{ms(m && histogramQuantile(m, 'sift_search_seconds', 0.99))}</dd></div>
            <div><dt>event loop p99</dt><dd>{m?.has('sift_process_nodejs_eventloop_lag_p99_seconds') ? ms(sum(m, 'sift_process_nodejs_eventloop_lag_p99_seconds'), 1) : '—'}</dd></div>
          </dl>
        </article>
      </div>
      <article className="card" data-testid="ingest" data-points={samples.filter((s) => s.rate !== null).length} data-peak={Math.round(Math.max(0, ...samples.map((s) => s.rate ?? 0)))}>
        <h2>Ingest rate</h2>
        {samples.filter((s) => s.rate !== null).length < 2 ? <p className="muted">Measuring… (a point every {POLL_MS / 1000} s)</p> : <TimeChart x={x} series={rateSeries} label="Events stored per second" yLabel="events/s" height={200} />}
      </article>
      <article className="card" data-testid="routes">
        <h2>Requests by route <span className="muted small">(this api instance, since it started)</span></h2>
        {routes.length === 0 ? (
          <p className="muted">No requests measured yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th>route</th><th className="num">requests</th><th className="num">4xx</th><th className="num">5xx</th><th className="num">p50</th><th className="num">p95</th><th className="num">p99</th></tr>
              </thead>
              <tbody>
                {routes.map((r) => (
                  <tr key={r.key} data-testid="route" data-route={r.key}>
                    <td className="mono">{r.key}</td>
                    <td className="num">{fmtNum(r.count)}</td>
                    <td className="num">{fmtNum(r.e4)}</td>
                    <td className={`num${r.e5 ? ' error' : ''}`}>{fmtNum(r.e5)}</td>
                    <td className="num">{ms(r.p50, 1)}</td>
                    <td className="num">{ms(r.p95, 1)}</td>
                    <td className="num">{ms(r.p99, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
    </section>
  );
}

function embedJobs(o: SystemOverview | null): string {
  const qs = o?.queues.filter((q) => q.name.startsWith('embed')) ?? [];
  if (!qs.length) return '—';
  return qs.some((q) => q.depth < 0) ? 'unreadable' : fmtNum(qs.reduce((a, q) => a + q.depth, 0));
}

/** Per (method, route): request count, errors by class and latency quantiles, busiest first. */
function routeLatency(m: Metrics) {
  return labelSets(m, `${HTTP}_count`, ['method', 'route'])
    .map((l) => ({
      key: `${l.method} ${l.route}`,
      count: sum(m, `${HTTP}_count`, l),
      e4: sum(m, `${HTTP}_count`, { ...l, status_class: '4xx' }),
      e5: sum(m, `${HTTP}_count`, { ...l, status_class: '5xx' }),
      p50: histogramQuantile(m, HTTP, 0.5, l),
      p95: histogramQuantile(m, HTTP, 0.95, l),
      p99: histogramQuantile(m, HTTP, 0.99, l),
    }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 25);
}
