import { useEffect, useState, type FormEvent } from 'react';
import { apiHealth } from './api/client.js';
import { socketState } from './lib/live.js';
import { useRoute } from './lib/router.js';
import { apiKey, settings } from './lib/settings.js';
import { useStore } from './lib/store.js';
import { Coming } from './pages/Coming.js';
import { Models } from './pages/Models.js';
import { Live } from './pages/Live.js';
import { Search } from './pages/Search.js';
import { Sources } from './pages/Sources.js';
import { System } from './pages/System.js';
import { Trends } from './pages/Trends.js';
import { Usage } from './pages/Usage.js';

/** Every page has a URL; later pages are listed now and marked "coming" until they exist. */
const NAV: { id: string; label: string; coming?: boolean }[] = [
  { id: 'live', label: 'Live' },
  { id: 'trends', label: 'Trends' },
  { id: 'search', label: 'Search' },
  { id: 'sources', label: 'Sources' },
  { id: 'system', label: 'System' },
  { id: 'briefs', label: 'Briefs', coming: true },
  { id: 'alerts', label: 'Alerts', coming: true },
  { id: 'usage', label: 'Usage' },
  { id: 'models', label: 'Models' },
];

export function App() {
  const route = useRoute();
  const page = route.path[0] ?? 'live';
  const item = NAV.find((n) => n.id === page);
  useEffect(() => {
    document.title = `${item?.label ?? 'Not found'} · Sift`;
  }, [item]);
  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          Sift
        </div>
        <nav aria-label="Pages">
          <ul>
            {NAV.map((n) => (
              <li key={n.id}>
                <a href={`#/${n.id}`} aria-current={n.id === page ? 'page' : undefined} className={n.coming ? 'coming' : undefined}>
                  {n.label}
                  {n.coming && <span className="tag">coming</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ConnStatus />
      </header>
      <Banners />
      <main id="main" tabIndex={-1}>
        {page === 'live' && <Live />}
        {page === 'trends' && <Trends entity={route.path[1]} />}
        {page === 'search' && <Search query={route.query} />}
        {page === 'sources' && <Sources selected={route.path[1]} />}
        {page === 'system' && <System />}
        {page === 'usage' && <Usage />}
        {page === 'models' && <Models />}
        {item?.coming && <Coming label={item.label} />}
        {!item && (
          <section className="empty">
            <h1>Page not found</h1>
            <p>
              There is no page <code>{page}</code>. Go to <a href="#/live">Live</a>.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}

function ConnStatus() {
  const s = useStore(socketState);
  const label = s.state === 'connected' ? 'Live' : s.state === 'connecting' ? 'Connecting…' : s.state === 'rejected' ? 'Key needed' : 'Reconnecting…';
  return (
    <div className={`conn conn-${s.state}`} role="status" aria-live="polite" data-testid="socket-state" data-state={s.state}>
      <span className="dot" aria-hidden="true" />
      {label}
    </div>
  );
}

function Banners() {
  const api = useStore(apiHealth);
  const sock = useStore(socketState);
  const key = useStore(apiKey);
  const [, tick] = useState(0);
  // Re-render once a second so "down for N s" stays true.
  useEffect(() => {
    if (sock.state !== 'reconnecting') return;
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [sock.state]);
  const needKey = api.state === 'auth' || sock.state === 'rejected';
  return (
    <div className="banners">
      {api.state === 'down' && (
        <div className="banner banner-error" role="alert" data-testid="api-down">
          <strong>API unreachable.</strong> {api.message} Retrying automatically; what you see may be stale.
        </div>
      )}
      {sock.state === 'reconnecting' && (
        <div className="banner banner-warn" role="alert" data-testid="socket-down">
          <strong>Live connection lost</strong> ({sock.reason}). Reconnecting; events missed meanwhile are replayed.
        </div>
      )}
      {(needKey || key) && <KeyPrompt open={needKey} status={api.state === 'auth' ? api.status : 401} message={api.state === 'auth' ? api.message : sock.state === 'rejected' ? sock.reason : ''} />}
      {settings.from !== 'origin' && settings.from !== 'config' && (
        <div className="banner banner-info">
          Using the API at <code>{settings.apiUrl}</code> (set with <code>?api=</code>; <a href="?api=#/live">reset</a>).
        </div>
      )}
    </div>
  );
}

function KeyPrompt({ open, status, message }: { open: boolean; status: number; message: string }) {
  const key = useStore(apiKey);
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    apiKey.set(value.trim());
    apiHealth.set({ state: 'ok' });
    setValue('');
  };
  if (!open)
    return (
      <div className="keybar">
        Signed in with an API key for this tab.{' '}
        <button type="button" className="link" onClick={() => apiKey.set(null)}>
          Forget key
        </button>
      </div>
    );
  return (
    <form className="banner banner-key" onSubmit={submit} data-testid="key-prompt">
      <label htmlFor="apikey">
        <strong>{status === 403 ? 'This key is not allowed here.' : key ? 'That key was refused.' : 'This Sift needs an API key.'}</strong> {message && <span className="muted">({message})</span>} Kept in this tab only (sessionStorage).
      </label>
      <div className="row">
        <input id="apikey" type="password" autoComplete="off" placeholder="sift_…" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Use key</button>
      </div>
    </form>
  );
}
