import { useCallback, useState } from 'react';
import { api, call, describeError, type DriftDto, type ModelDto, type ModelsDto } from '../api/client.js';
import { TimeChart } from '../lib/Chart.js';
import { fmtAgo, fmtDuration, fmtNum } from '../lib/format.js';
import { usePoll } from '../lib/usePoll.js';

const STATUS_CLASS: Record<string, string> = { active: 'ok', candidate: 'warn', retired: 'muted' };

/** Scores as "mode: metric value, …" lines; every string is rendered as text. */
function Scores({ scores }: { scores: ModelDto['scores'] }) {
  if (!scores || !Object.keys(scores).length) return <span className="muted">no scores</span>;
  return (
    <ul className="plain small">
      {Object.entries(scores).map(([mode, metrics]) => (
        <li key={mode}>
          <strong>{mode}</strong>{' '}
          {Object.entries(metrics as Record<string, number>)
            .map(([k, v]) => `${k} ${fmtNum(v, 3)}`)
            .join(' · ')}
        </li>
      ))}
    </ul>
  );
}

function Promotion({ m }: { m: ModelDto }) {
  const p = m.promotion;
  if (!p) return <span className="muted">—</span>;
  const share = p.coverage === null ? 0 : Math.min(1, p.coverage / p.threshold);
  return (
    <div data-testid="promotion">
      <progress max={1} value={share} aria-label={`re-embed progress of ${m.name}`} />{' '}
      <span className="small">
        {p.coverage === null ? 'starting' : `${fmtNum(p.coverage * 100, 1)}% of ${fmtNum(p.threshold * 100, 0)}%`}
        {p.etaSeconds !== null && ` · eta ${fmtDuration(p.etaSeconds * 1000)}`}
        {m.promotionForced && ' · forced past the gate'}
      </span>
    </div>
  );
}

export function Models() {
  const [models, setModels] = useState<ModelsDto | null>(null);
  const [drift, setDrift] = useState<DriftDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [m, d] = await Promise.all([call(api().GET('/admin/models', {})), call(api().GET('/admin/drift', { params: { query: { limit: '200' } } }))]);
      setModels(m);
      setDrift(d);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);
  usePoll(load, 3000);
  const history = [...(drift?.history ?? [])].reverse();
  const x = history.map((h) => Date.parse(h.at) / 1000);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Models</h1>
        <span className="muted">refreshed every 3 s · admin scope</span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {models && models.models.length === 0 && (
        <div className="empty">
          <p>
            <strong>No models registered.</strong> The worker records the chain's model at first boot; add candidates with <code>sift models register NAME</code>.
          </p>
        </div>
      )}
      {models && models.models.length > 0 && (
        <table className="table" data-testid="models">
          <thead>
            <tr>
              <th>model</th>
              <th>status</th>
              <th>scores</th>
              <th>coverage</th>
              <th>promotion</th>
              <th>promoted</th>
            </tr>
          </thead>
          <tbody>
            {models.models.map((m) => (
              <tr key={m.name} data-testid="model" data-name={m.name} data-status={m.status}>
                <td>
                  <strong>{m.name}</strong>
                  <div className="mono small" title={`sha256 ${m.checksum}`}>
                    {m.modelId} · {m.dims}d · {m.providerKind} · {m.checksum.slice(0, 12)}
                  </div>
                </td>
                <td>
                  <span className={`pill pill-${STATUS_CLASS[m.status] ?? 'muted'}`}>{m.status}</span>
                </td>
                <td>
                  <Scores scores={m.scores} />
                </td>
                <td>{m.coverage === null ? '—' : `${fmtNum(m.coverage * 100, 1)}%`}</td>
                <td>
                  <Promotion m={m} />
                </td>
                <td className="small">{m.promotedAt ? `${fmtAgo(m.promotedAt)} by ${m.promotedBy ?? '—'}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Drift{drift?.model ? ` · ${drift.model}` : ''}</h2>
      {drift && (
        <p className="muted small">
          reference {drift.referenceAt ? `frozen ${fmtAgo(drift.referenceAt)}` : 'not frozen yet'} · alert after {drift.thresholds.alertWindows} drifted windows in a row · queries:{' '}
          {drift.querySide.searches} recent searches, median top-1 similarity {fmtNum(drift.querySide.medianTop1, 3)}, {drift.querySide.belowFloorShare === null ? '—' : `${fmtNum(drift.querySide.belowFloorShare * 100, 1)}%`} below {fmtNum(drift.querySide.floor, 2)}
        </p>
      )}
      {history.length > 1 ? (
        <div className="cards">
          <article className="card">
            <TimeChart label="share of drifted dimensions" x={x} series={[{ label: 'drifted dims', values: history.map((h) => h.driftedDimsShare) }]} yLabel="share" />
          </article>
          <article className="card">
            <TimeChart label="centroid shift and MMD²" x={x} series={[{ label: 'centroid shift', values: history.map((h) => h.centroidShift) }, { label: 'MMD²', values: history.map((h) => h.mmd), color: '--warn' }]} />
          </article>
        </div>
      ) : (
        <p className="muted">No drift windows yet (one every DRIFT_INTERVAL).</p>
      )}
      {models && models.switches.length > 0 && (
        <>
          <h2>Switches</h2>
          <ul className="plain small" data-testid="switches">
            {models.switches.slice(0, 20).map((s) => (
              <li key={s.id}>
                {fmtAgo(s.at)} · <strong>{s.action}</strong> {s.model}
                {s.previous ? ` (from ${s.previous})` : ''} by {s.actor}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
