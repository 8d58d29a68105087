import { useCallback, useMemo, useState } from 'react';
import { describeError, getReady, getText, type ReadyBody } from '../api/client.js';
import { TimeChart } from '../lib/Chart.js';
import { fmtNum } from '../lib/format.js';
import { histogramQuantile, parseMetrics, sum, type Metrics } from '../lib/metrics.js';
import { usePoll } from '../lib/usePoll.js';

const POLL_MS = 3000;
const KEEP = 120; // 10 min of samples

interface Sample {
  t: number;
  ingested: number;
  rate: number | null;
}

/** Kept across page visits so the rate chart does not start empty each time. */
const history: Sample[] = [];

export function System() {
  const [ready, setReady] = useState<{ status: number; body: ReadyBody } | null>(null);
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [samples, setSamples] = useState<Sample[]>(() => [...history]);

  const load = useCallback(async () => {
    try {
      const [r, text] = await Promise.all([getReady(), getText('/metrics')]);
      setReady(r);
      const m = parseMetrics(text);
      setMetrics(m);
      const now = Date.now() / 1000;
      const ingested = sum(m, 'sift_relay_events_ingested_total');
      const prev = history.at(-1);
      // A gap longer than a few polls (page was away) or a counter reset starts a new line.
      const fresh = prev && now - prev.t < (POLL_MS / 1000) * 4 && ingested >= prev.ingested;
      history.push({ t: now, ingested, rate: fresh ? (ingested - prev.ingested) / (now - prev.t) : null });
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
  const emb = details.embeddings as { model?: string; dims?: number; device?: string; status: string; disabled?: boolean; reason?: string } | undefined;
  const m = metrics;
  const queues = m?.get('sift_queue_depth') ?? [];
  const searchP50 = m && histogramQuantile(m, 'sift_search_seconds', 0.5);
  const searchP99 = m && histogramQuantile(m, 'sift_search_seconds', 0.99);
  const writeP99 = m && histogramQuantile(m, 'sift_relay_batch_write_seconds', 0.99);

  return (
    <section className="page">
      <div className="page-head">
        <h1>System</h1>
        {ready && (
          <span className={`pill pill-${ready.status === 200 ? 'ok' : 'bad'}`} data-testid="ready">
            {ready.status === 200 ? 'ready' : 'not ready'}
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
        <article className="card">
          <h2>Embeddings</h2>
          {emb ? (
            <dl className="kv">
              <div><dt>model</dt><dd className="mono">{emb.model ?? (emb.disabled ? 'disabled' : '—')}</dd></div>
              <div><dt>dims</dt><dd>{emb.dims ?? '—'}</dd></div>
              <div><dt>device</dt><dd>{emb.device ?? '—'}</dd></div>
              <div><dt>vectors written</dt><dd>{m ? fmtNum(sum(m, 'sift_embed_events_total')) : '—'}</dd></div>
              <div><dt>failures</dt><dd>{m ? fmtNum(sum(m, 'sift_embed_failures_total')) : '—'}</dd></div>
              <div><dt>coverage</dt><dd title="share of stored events with a vector, from this process's counters">{m ? coverage(m) : '—'}</dd></div>
            </dl>
          ) : (
            <p className="muted">No embeddings indicator on this instance.</p>
          )}
        </article>
        <article className="card">
          <h2>Queues & mover</h2>
          <dl className="kv">
            {queues.map((q) => (
              <div key={q.labels.queue}><dt>{q.labels.queue}</dt><dd>{q.value}</dd></div>
            ))}
            {queues.length === 0 && <div><dt>queues</dt><dd className="muted">none reported here</dd></div>}
            <div><dt>mover lag</dt><dd>{m?.has('sift_mover_lag_seconds') ? `${fmtNum(sum(m, 'sift_mover_lag_seconds'), 1)} s` : '—'}</dd></div>
            <div><dt>oldest hot</dt><dd>{m?.has('sift_mover_oldest_hot_age_seconds') ? `${fmtNum(sum(m, 'sift_mover_oldest_hot_age_seconds') / 60, 1)} min` : '—'}</dd></div>
            <div><dt>relay buffer</dt><dd>{m ? fmtNum(sum(m, 'sift_relay_buffered_events')) : '—'}</dd></div>
            <div><dt>socket clients</dt><dd>{m ? fmtNum(sum(m, 'sift_socket_clients')) : '—'}</dd></div>
          </dl>
        </article>
        <article className="card">
          <h2>Latency</h2>
          <dl className="kv">
            <div><dt>search p50</dt><dd>{searchP50 !== null && searchP50 !== undefined ? `${fmtNum(searchP50 * 1000, 0)} ms` : '—'}</dd></div>
            <div><dt>search p99</dt><dd>{searchP99 !== null && searchP99 !== undefined ? `${fmtNum(searchP99 * 1000, 0)} ms` : '—'}</dd></div>
            <div><dt>batch write p99</dt><dd>{writeP99 !== null && writeP99 !== undefined ? `${fmtNum(writeP99 * 1000, 0)} ms` : '—'}</dd></div>
            <div><dt>event loop p99</dt><dd>{m?.has('sift_process_nodejs_eventloop_lag_p99_seconds') ? `${fmtNum(sum(m, 'sift_process_nodejs_eventloop_lag_p99_seconds') * 1000, 1)} ms` : '—'}</dd></div>
          </dl>
        </article>
      </div>
      <article className="card" data-testid="ingest" data-points={samples.filter((s) => s.rate !== null).length}>
        <h2>Ingest rate</h2>
        {samples.filter((s) => s.rate !== null).length < 2 ? <p className="muted">Measuring… (a point every {POLL_MS / 1000} s)</p> : <TimeChart x={x} series={rateSeries} label="Events stored per second" yLabel="events/s" height={200} />}
      </article>
    </section>
  );
}

function coverage(m: Metrics): string {
  const stored = sum(m, 'sift_relay_events_ingested_total');
  const vectors = sum(m, 'sift_embed_events_total');
  if (!stored) return '—';
  return `${Math.min(100, Math.round((vectors / stored) * 100))}%`;
}
