import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
/**
 * Where `vite build web` put the dashboard: dist/web. From the compiled file (dist/src/api/web) that is
 * ../../../web; from the TypeScript source (tests run src/ directly) it is ../../../dist/web.
 */
export function webDistDir() {
    const here = dirname(fileURLToPath(import.meta.url));
    const candidates = [resolve(here, '../../../dist/web'), resolve(here, '../../../web')];
    return candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'assets')));
}
/** The dashboard's Content-Security-Policy: nothing inline, no eval, talks only to itself and the configured API. */
export function webCsp(apiUrl) {
    const connect = ["'self'"];
    if (apiUrl) {
        const u = new URL(apiUrl);
        connect.push(u.origin, `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`);
    }
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src ${connect.join(' ')}`,
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].join('; ');
}
/**
 * Serves the built dashboard at `/` (api role): hashed files under /assets/ cached for a year as
 * immutable, everything else (index.html, config.json) revalidated on every load; the .br / .gz
 * twins written at build time are sent when Accept-Encoding allows. Paths that are not files fall
 * through to the API routes. The app uses hash routing, so no index.html fallback is needed.
 */
export function serveWeb(use, cfg, logger) {
    if (cfg.WEB_ENABLED === false)
        return false;
    const dir = webDistDir();
    if (!dir) {
        logger.warn('dashboard build (dist/web) not found: `/` is not served; run `npm run build`');
        return false;
    }
    const csp = webCsp(cfg.WEB_API_URL);
    const config = JSON.stringify({ apiUrl: cfg.WEB_API_URL ?? null });
    const assets = sirv(join(dir, 'assets'), { maxAge: 31_536_000, immutable: true, gzip: true, brotli: true, dotfiles: false });
    const rest = sirv(dir, {
        etag: true,
        gzip: true,
        brotli: true,
        dotfiles: false,
        setHeaders: (res, pathname) => {
            res.setHeader('Cache-Control', 'no-cache');
            if (pathname === '/' || pathname.endsWith('.html'))
                res.setHeader('Content-Security-Policy', csp);
        },
    });
    use((req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD')
            return next();
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/config.json') {
            res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
            return res.end(req.method === 'HEAD' ? undefined : config);
        }
        if (path.startsWith('/assets/')) {
            const url = req.url;
            req.url = url.slice('/assets'.length);
            return assets(req, res, () => {
                req.url = url;
                next();
            });
        }
        rest(req, res, next);
    });
    logger.info({ dir }, 'dashboard served at /');
    return true;
}
//# sourceMappingURL=serve-web.js.map