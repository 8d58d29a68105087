import { useEffect } from 'react';

/** Runs `fn` now and every `ms` while the page is visible; restarts when `fn` changes. */
export function usePoll(fn: () => Promise<void> | void, ms: number) {
  useEffect(() => {
    let stop = false;
    let busy = false;
    const run = async () => {
      if (busy || stop || document.hidden) return;
      busy = true;
      try {
        await fn();
      } finally {
        busy = false;
      }
    };
    void run();
    const t = setInterval(run, ms);
    const vis = () => !document.hidden && void run();
    document.addEventListener('visibilitychange', vis);
    return () => {
      stop = true;
      clearInterval(t);
      document.removeEventListener('visibilitychange', vis);
    };
  }, [fn, ms]);
}
