import { useEffect, useRef, useState, type FormEvent } from 'react';
import { currentFilter, onLive, setFilter, socketState, type LiveItem } from '../lib/live.js';
import { useStore } from '../lib/store.js';
import { fmtTime } from '../lib/format.js';
import { EventRow } from './EventRow.js';

/** Most items kept (and rendered): the DOM stays bounded whatever the rate. */
const MAX_ITEMS = 500;
/** Rows in the DOM while streaming (style and layout of every row are paid each frame); all MAX_ITEMS when paused. */
const LIVE_ROWS = 200;
const RATE_WINDOW_MS = 5000;

export function Live() {
  const [items, setItems] = useState<LiveItem[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [rate, setRate] = useState(0);
  const pausedRef = useRef(false);
  const pending = useRef<LiveItem[]>([]);
  const arrivals = useRef<{ t: number; n: number }[]>([]);
  const sock = useStore(socketState);

  useEffect(() => {
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pausedRef.current) {
        setHeld(pending.current.length);
        return;
      }
      const batch = pending.current;
      pending.current = [];
      setHeld(0);
      setItems((prev) => merge(prev, batch));
    };
    const off = onLive((batch) => {
      const n = batch.reduce((k, x) => k + (x.type === 'event' ? 1 : 0), 0);
      if (n) arrivals.current.push({ t: Date.now(), n });
      pending.current.push(...batch);
      if (pending.current.length > MAX_ITEMS * 4) pending.current.splice(0, pending.current.length - MAX_ITEMS * 2);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    const timer = setInterval(() => {
      const cut = Date.now() - RATE_WINDOW_MS;
      arrivals.current = arrivals.current.filter((a) => a.t >= cut);
      setRate(arrivals.current.reduce((k, a) => k + a.n, 0) / (RATE_WINDOW_MS / 1000));
    }, 1000);
    return () => {
      off();
      clearInterval(timer);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  const togglePause = () => {
    pausedRef.current = !pausedRef.current;
    setPaused(pausedRef.current);
    if (!pausedRef.current) requestAnimationFrame(() => onLiveKick());
  };
  // Resuming flushes what was held by scheduling a render with the pending items.
  const onLiveKick = () => {
    const batch = pending.current;
    pending.current = [];
    setHeld(0);
    setItems((prev) => merge(prev, batch));
  };

  const count = items.filter((i) => i.type === 'event').length;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Live</h1>
        <div className="stats">
          <span className="stat" data-testid="rate">
            <b>{rate.toFixed(1)}</b> events/s
          </span>
          <span className="stat">
            <b>{count}</b> kept (last {MAX_ITEMS}{paused || count <= LIVE_ROWS ? '' : `; newest ${LIVE_ROWS} shown, pause to browse all`})
          </span>
          <button type="button" onClick={togglePause} aria-pressed={paused} data-testid="pause">
            {paused ? `Resume${held ? ` (${held} new)` : ''}` : 'Pause'}
          </button>
          <button type="button" className="secondary" onClick={() => setItems([])}>
            Clear
          </button>
        </div>
      </div>
      <Filters
        onApply={() => {
          pending.current = [];
          setItems([]);
        }}
      />
      <div className="feed" aria-live="off" data-testid="feed">
        {items.length === 0 && (
          <div className="empty">
            {sock.state === 'connected' ? (
              <>
                <p>
                  <strong>Waiting for events.</strong> New events matching the filter appear here as soon as they are stored.
                </p>
                <p className="muted">Nothing arriving? Check the sources on the <a href="#/sources">Sources</a> page, or widen the filter.</p>
              </>
            ) : (
              <p>Connecting to the live stream…</p>
            )}
          </div>
        )}
        {(paused ? items : items.slice(0, LIVE_ROWS)).map((it) =>
          it.type === 'event' ? (
            <EventRow key={it.event.id} e={it.event} />
          ) : it.type === 'recovered' ? (
            <div key={it.key} className={`marker ${it.complete ? '' : 'marker-warn'}`} role="note" data-testid="recovered" data-count={it.count} data-from={it.from}>
              ↻ Reconnected at {fmtTime(it.at)}: {it.count} missed event{it.count === 1 ? '' : 's'} replayed{it.complete ? '' : ' — incomplete, older ones were skipped'}
            </div>
          ) : (
            <div key={it.key} className="marker marker-warn" role="note">
              {it.text}
            </div>
          ),
        )}
      </div>
    </section>
  );
}

/**
 * New items (oldest first) on top of what is shown (newest first), bounded. A recovery marker goes
 * where the gap began: just above the last event received before the disconnect (`from`).
 */
function merge(prev: LiveItem[], batch: LiveItem[]): LiveItem[] {
  const fresh = batch.filter((x) => x.type !== 'recovered');
  const next = [...fresh.reverse(), ...prev];
  if (next.length > MAX_ITEMS) next.length = MAX_ITEMS;
  for (const m of batch) {
    if (m.type !== 'recovered') continue;
    const i = next.findIndex((x) => x.type === 'event' && x.event.id === m.from);
    next.splice(i >= 0 ? i : Math.min(fresh.length, next.length), 0, m);
  }
  return next;
}

function Filters({ onApply }: { onApply: () => void }) {
  const f = currentFilter();
  const [entity, setEntity] = useState(f.entity ?? '');
  const [source, setSource] = useState(f.source ?? '');
  const [author, setAuthor] = useState(f.author ?? '');
  const [about, setAbout] = useState(f.semantic?.q ?? '');
  const [threshold, setThreshold] = useState(String(f.semantic?.threshold ?? 0.5));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
    setFilter({ entity: entity.trim(), source: source.trim(), author: author.trim(), semantic: about.trim() ? { q: about.trim(), threshold: Number(threshold) || 0.5 } : undefined });
  };
  const reset = () => {
    setEntity('');
    setSource('');
    setAuthor('');
    setAbout('');
    onApply();
    setFilter({});
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Live filters">
      <label>
        Entity
        <input value={entity} onChange={(e) => setEntity(e.target.value)} placeholder="$btc, #ai, @alice…" />
      </label>
      <label>
        Source
        <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="any" />
      </label>
      <label>
        Author
        <input value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="did:plc:…" />
      </label>
      <label className="grow">
        About (semantic)
        <input value={about} onChange={(e) => setAbout(e.target.value)} placeholder="e.g. central bank raising rates" />
      </label>
      <label className="narrow">
        Similarity ≥
        <input type="number" min="0" max="1" step="0.05" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={reset}>
          Reset
        </button>
      </div>
    </form>
  );
}
