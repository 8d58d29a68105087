import { Store } from './store.js';

/**
 * Where the API lives, decided once at load:
 *  1. `?api=https://sift.example.com` in the page URL (stored in localStorage, then removed from the URL);
 *     `?api=` (empty) forgets a stored one;
 *  2. a stored setting from an earlier `?api=`;
 *  3. `apiUrl` in `config.json` next to index.html (Sift writes WEB_API_URL there when it serves the app);
 *  4. the origin that served the page.
 * The API key is kept in sessionStorage only (never in the URL, never in localStorage).
 */
const API_KEY = 'sift.apiUrl';
const KEY_KEY = 'sift.key';

export interface Settings {
  apiUrl: string;
  from: 'query' | 'stored' | 'config' | 'origin';
}

export async function loadSettings(): Promise<Settings> {
  const url = new URL(location.href);
  if (url.searchParams.has('api')) {
    const v = url.searchParams.get('api')!.trim();
    if (v) localStorage.setItem(API_KEY, v.replace(/\/+$/, ''));
    else localStorage.removeItem(API_KEY);
    url.searchParams.delete('api');
    history.replaceState(null, '', url.toString());
    if (v) return { apiUrl: v.replace(/\/+$/, ''), from: 'query' };
  }
  const stored = localStorage.getItem(API_KEY);
  if (stored) return { apiUrl: stored, from: 'stored' };
  try {
    const res = await fetch(new URL('config.json', location.href), { cache: 'no-cache' });
    if (res.ok) {
      const c = (await res.json()) as { apiUrl?: string | null };
      if (c.apiUrl) return { apiUrl: c.apiUrl.replace(/\/+$/, ''), from: 'config' };
    }
  } catch {
    // No config.json: same origin.
  }
  return { apiUrl: location.origin, from: 'origin' };
}

export const apiKey = new Store<string | null>(sessionStorage.getItem(KEY_KEY));
apiKey.subscribe(() => {
  const k = apiKey.get();
  if (k) sessionStorage.setItem(KEY_KEY, k);
  else sessionStorage.removeItem(KEY_KEY);
});

export let settings: Settings = { apiUrl: location.origin, from: 'origin' };
export function setSettings(s: Settings) {
  settings = s;
}
