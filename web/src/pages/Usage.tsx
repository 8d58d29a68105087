import { useCallback, useMemo, useState } from 'react';
import { api, call, describeError, type Schemas } from '../api/client.js';
import { TimeChart } from '../lib/Chart.js';
import { fmtDateTime, fmtNum } from '../lib/format.js';
import { usePoll } from '../lib/usePoll.js';

type UsageDto = Schemas['UsageDto'];
type AdminUsageDto = Schemas['AdminUsageDto'];
type Summary = Schemas['UsageSummaryDto'];
type Granularity = 'minute' | 'hour' | 'day';

const RANGES: { id: string; label: string; granularity: Granularity; ms: number }[] = [
  { id: '1h', label: 'last hour, by minute', granularity: 'minute', ms: 3_600_000 },
  { id: '24h', label: 'last 24 h, by hour', granularity: 'hour', ms: 86_400_000 },
  { id: '30d', label: 'last 30 days, by day', granularity: 'day', ms: 30 * 86_400_000 },
];
const UNIT_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const POLL_MS = 15_000;

const requestsOf = (s: Summary) => s.requests.reduce((n, r) => n + r.count, 0);
const errorsOf = (s: Summary) => s.requests.filter((r) => r.statusClass === '4xx' || r.statusClass === '5xx').reduce((n, r) => n + r.count, 0);
const searchesOf = (s: Summary) => s.searches.reduce((n, r) => n + r.count, 0);
const llmTokensOf = (s: Summary) => s.llm.reduce((n, r) => n + r.tokensIn + r.tokensOut, 0);

/**
 * The key's own usage (GET /usage) over a range: a chart of requests and searches per bucket, and
 * tables by route, search mode, embedding link and LLM link with cost. A key with the admin scope
 * also sees per-key totals (GET /admin/usage). Everything from the API is rendered as text.
 */
export function Usage() {
  const [rangeId, setRangeId] = useState('24h');
  const range = RANGES.find((r) => r.id === rangeId)!;
  const [mine, setMine] = useState<UsageDto | null>(null);
  const [admin, setAdmin] = useState<AdminUsageDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const query = { granularity: range.granularity, from: new Date(Date.now() - range.ms).toISOString() };
    try {
      setMine(await call(api().GET('/usage', { params: { query } })));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
    // Admin totals only for keys that may read them: a 403 here is expected, not a key problem,
    // so this call does not go through call() (which would raise the key banner).
    try {
      const r = await api().GET('/admin/usage', { params: { query } });
      setAdmin(r.response.ok && r.data ? r.data : null);
    } catch {
      setAdmin(null);
    }
  }, [range]);
  usePoll(load, POLL_MS);

  // Every bucket of the range, zero where nothing was metered, so the chart's time axis is true.
  const chart = useMemo(() => {
    if (!mine) return null;
    const unit = UNIT_MS[mine.granularity as Granularity];
    const byStart = new Map(mine.buckets.map((b) => [Date.parse(b.start), b]));
    const x: number[] = [];
    const requests: number[] = [];
    const searches: number[] = [];
    for (let t = Date.parse(mine.from); t < Date.parse(mine.to); t += unit) {
      const b = byStart.get(t);
      x.push(t / 1000);
      requests.push(b ? requestsOf(b) : 0);
      searches.push(b ? searchesOf(b) : 0);
    }
    return { x, series: [{ label: 'requests', values: requests, fill: true }, { label: 'searches', values: searches, color: '--warn' }] };
  }, [mine]);

  const t = mine?.totals;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Usage</h1>
        <label className="small">
          Range{' '}
          <select value={rangeId} onChange={(e) => setRangeId(e.target.value)} data-testid="usage-range">
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>{r.label}</option>
            ))}
          </select>
        </label>
        {mine && (
          <span className="muted small" data-testid="usage-key">
            key {mine.keyId ?? '(none: API keys are not enforced)'} · {fmtDateTime(mine.from)} → {fmtDateTime(mine.to)}
          </span>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="cards">
        <article className="card">
          <h2>Totals</h2>
          <dl className="kv" data-testid="usage-totals">
            <div><dt>requests</dt><dd data-testid="usage-requests">{t ? fmtNum(requestsOf(t)) : '—'}</dd></div>
            <div><dt>4xx / 5xx</dt><dd>{t ? fmtNum(errorsOf(t)) : '—'}</dd></div>
            <div><dt>searches</dt><dd data-testid="usage-searches">{t ? fmtNum(searchesOf(t)) : '—'}</dd></div>
            <div><dt>query embeddings</dt><dd>{t ? fmtNum(t.queryEmbeddings.reduce((n, r) => n + r.count, 0)) : '—'}</dd></div>
            <div><dt>LLM tokens</dt><dd>{t ? fmtNum(llmTokensOf(t)) : '—'}</dd></div>
            <div><dt>cost</dt><dd data-testid="usage-cost">{t ? `$${t.costUsd}` : '—'}</dd></div>
          </dl>
          <p className="muted small">Counters reach the database every few seconds; refreshed every {POLL_MS / 1000} s.</p>
        </article>
      </div>
      <article className="card">
        <h2>Over time</h2>
        {chart && chart.x.length > 1 ? <TimeChart x={chart.x} series={chart.series} label="Requests and searches per bucket" yLabel="per bucket" height={200} /> : <p className="muted">Loading…</p>}
      </article>
      {t && <Breakdown totals={t} />}
      {admin && <AdminTotals admin={admin} />}
    </section>
  );
}

function Breakdown({ totals }: { totals: Summary }) {
  return (
    <div className="cards">
      <article className="card" data-testid="usage-routes">
        <h2>Requests by route</h2>
        {totals.requests.length === 0 ? (
          <p className="muted">No requests in this range.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th>route</th><th>status</th><th className="num">requests</th></tr></thead>
              <tbody>
                {[...totals.requests].sort((a, b) => b.count - a.count).map((r) => (
                  <tr key={`${r.route} ${r.statusClass}`} data-testid="usage-route" data-route={`${r.route} ${r.statusClass}`}>
                    <td className="mono">{r.route}</td>
                    <td className={r.statusClass === '5xx' ? 'error' : undefined}>{r.statusClass}</td>
                    <td className="num">{fmtNum(r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
      <article className="card">
        <h2>Searches and models</h2>
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th>what</th><th>mode / model / link</th><th className="num">count / tokens</th><th className="num">cost USD</th></tr></thead>
            <tbody>
              {totals.searches.map((s) => (
                <tr key={`s ${s.mode}`} data-testid="usage-mode"><td>searches</td><td>{s.mode}</td><td className="num">{fmtNum(s.count)}</td><td /></tr>
              ))}
              {totals.queryEmbeddings.map((e) => (
                <tr key={`q ${e.model}`}><td>query embeddings</td><td className="mono">{e.model}</td><td className="num">{fmtNum(e.count)}</td><td /></tr>
              ))}
              {totals.embeddingTokens.map((e) => (
                <tr key={`e ${e.link}`}><td>embedding tokens</td><td>{e.link}</td><td className="num">{fmtNum(e.tokens)}</td><td className="num">{e.costUsd}</td></tr>
              ))}
              {totals.llm.map((l) => (
                <tr key={`l ${l.link}`} data-testid="usage-llm"><td>LLM ({fmtNum(l.calls)} calls)</td><td>{l.link}</td><td className="num">{fmtNum(l.tokensIn)} in / {fmtNum(l.tokensOut)} out</td><td className="num">{l.costUsd}</td></tr>
              ))}
              {!totals.searches.length && !totals.queryEmbeddings.length && !totals.embeddingTokens.length && !totals.llm.length && (
                <tr><td colSpan={4} className="muted">No searches or model calls in this range.</td></tr>
              )}
            </tbody>
          </table>
        </div>
      </article>
    </div>
  );
}

function AdminTotals({ admin }: { admin: AdminUsageDto }) {
  return (
    <article className="card" data-testid="usage-admin">
      <h2>Every key <span className="muted small">(admin)</span></h2>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>key</th><th className="num">requests</th><th className="num">4xx / 5xx</th><th className="num">searches</th><th className="num">LLM tokens</th><th className="num">cost USD</th></tr></thead>
          <tbody>
            {[...admin.keys].sort((a, b) => requestsOf(b) - requestsOf(a)).map((k) => (
              <tr key={k.keyId ?? '(none)'} data-testid="usage-admin-key" data-key={k.keyId ?? ''}>
                <td className="mono">{k.keyId ?? '(no key)'}</td>
                <td className="num">{fmtNum(requestsOf(k))}</td>
                <td className="num">{fmtNum(errorsOf(k))}</td>
                <td className="num">{fmtNum(searchesOf(k))}</td>
                <td className="num">{fmtNum(llmTokensOf(k))}</td>
                <td className="num">{k.costUsd}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
