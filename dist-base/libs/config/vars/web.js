import { bool, url } from '../fields.js';
import { spec } from '../spec.js';
/** The dashboard (web/, built by Vite into dist/web) that the api role serves at `/`. */
export const WEB_VARS = {
    WEB_ENABLED: spec({
        schema: bool(),
        roles: ['api'],
        default: 'true',
        description: 'Serve the dashboard (dist/web, built by `npm run build`) at `/` from the api role. Off, or when the build is missing, `/` is not served.',
    }),
    WEB_API_URL: spec({
        schema: url(['http', 'https']),
        roles: ['api'],
        description: 'API origin the served dashboard talks to (written into its /config.json and allowed in its CSP connect-src). Unset: the same origin that served it.',
    }),
};
//# sourceMappingURL=web.js.map