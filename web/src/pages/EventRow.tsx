import { memo } from 'react';
import type { EventDto } from '../api/client.js';
import type { StoredEvent } from '../lib/live.js';
import { fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';

/** One event (memoised: the Live list re-renders every frame, its rows only when new). Its text is hostile input: rendered as React text only, never as HTML. */
export const EventRow = memo(function EventRow({ e, extra }: { e: StoredEvent | EventDto; extra?: React.ReactNode }) {
  return (
    <article className="event" data-id={e.id} data-ingested={e.ingestedAt}>
      <div className="meta">
        <time dateTime={e.createdAt} title={`created ${e.createdAt}, stored ${e.ingestedAt}`}>
          {fmtTime(e.createdAt)}
        </time>
        <span className="src">{e.source}</span>
        <span className="author" title={e.author}>
          {e.author}
        </span>
        {extra}
      </div>
      <p className="text">{e.text}</p>
      {e.entities.length > 0 && (
        <ul className="entities" aria-label="entities">
          {e.entities.slice(0, 8).map((x) => (
            <li key={x}>
              <a href={href(['trends', x])}>{x}</a>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
});
