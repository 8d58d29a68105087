import { ENV_SCHEMA } from './schema.js';
import { parseRoles } from './roles.js';
export class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(`invalid configuration:\n${problems.map((p) => `  - ${p.name}: ${p.message}`).join('\n')}`);
        this.problems = problems;
        this.name = 'ConfigError';
    }
}
export const appliesTo = (spec, roles) => spec.roles === 'all' || spec.roles.some((r) => roles.includes(r));
/**
 * Validates the vars the selected roles need and returns the typed config. Vars of roles that
 * are not selected are ignored (a relay container need not carry API settings). All problems are
 * reported at once, each naming its var, so one restart fixes them all.
 */
export function loadConfig(env = process.env, rolesArg) {
    const problems = [];
    let roles = [];
    try {
        roles = parseRoles(rolesArg ?? env.SIFT_ROLES);
    }
    catch (err) {
        problems.push({ name: rolesArg ? 'roles argument' : 'SIFT_ROLES', message: err.message });
    }
    const out = { roles };
    for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
        if (!appliesTo(spec, roles))
            continue;
        const given = env[name];
        const raw = given === undefined || given === '' ? spec.default : given;
        if (raw === undefined) {
            if (spec.required) {
                const who = spec.roles === 'all' ? 'every role' : `role ${spec.roles.filter((r) => roles.includes(r)).join(', ')}`;
                problems.push({ name, message: `is required for ${who}: ${spec.description}` });
            }
            continue;
        }
        const r = spec.schema.safeParse(raw);
        if (r.success)
            out[name] = r.data;
        else {
            const shown = spec.secret ? '(secret)' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
            problems.push({ name, message: `${r.error.issues.map((i) => i.message).join('; ')} (got ${shown})` });
        }
    }
    const cfg = out;
    if (cfg.QUEUE_DRIVER === 'bullmq' && !cfg.REDIS_URL) {
        problems.push({ name: 'QUEUE_DRIVER', message: 'is bullmq but REDIS_URL is not set' });
    }
    if (!cfg.DATABASE_URL && roles.length && roles.length < 3 && !problems.some((p) => p.name === 'DATABASE_URL')) {
        problems.push({ name: 'DATABASE_URL', message: `is required for split roles (${roles.join(', ')}): embedded mode runs every role in one process` });
    }
    if (cfg.RELAY_SOURCES?.some((s) => s.kind === 'sealed') && !cfg.RELAY_SEALED_SECRET_KEY && !problems.some((p) => p.name === 'RELAY_SEALED_SECRET_KEY')) {
        problems.push({ name: 'RELAY_SEALED_SECRET_KEY', message: 'is required because RELAY_SOURCES has a sealed source' });
    }
    // Searches may only take part of the pool, or a burst of slow ones would starve every other route.
    if (cfg.DATABASE_URL && roles.includes('api') && cfg.API_SEARCH_MAX_CONCURRENT !== undefined && 2 * cfg.API_SEARCH_MAX_CONCURRENT >= cfg.DB_POOL_MAX) {
        problems.push({
            name: 'API_SEARCH_MAX_CONCURRENT',
            message: `is ${cfg.API_SEARCH_MAX_CONCURRENT}, but 2 × it must stay below DB_POOL_MAX (${cfg.DB_POOL_MAX}) so other routes and health checks keep connections: lower it or raise DB_POOL_MAX`,
        });
    }
    // Each source holds its lease connection and up to RELAY_WRITES_IN_FLIGHT write connections.
    const sources = cfg.RELAY_SOURCES?.length ?? 0;
    if (cfg.DATABASE_URL && roles.includes('relay') && sources && cfg.RELAY_WRITES_IN_FLIGHT !== undefined && sources * (1 + cfg.RELAY_WRITES_IN_FLIGHT) >= cfg.DB_POOL_MAX) {
        problems.push({
            name: 'RELAY_WRITES_IN_FLIGHT',
            message: `is ${cfg.RELAY_WRITES_IN_FLIGHT}, but ${sources} source(s) × (1 lease + ${cfg.RELAY_WRITES_IN_FLIGHT} writes) must stay below DB_POOL_MAX (${cfg.DB_POOL_MAX}): lower it or raise DB_POOL_MAX`,
        });
    }
    if (problems.length)
        throw new ConfigError(problems);
    return cfg;
}
/** Embedded mode: no DATABASE_URL, so PGlite runs inside this (all-roles) process. */
export const isEmbedded = (cfg) => !cfg.DATABASE_URL;
/** Whether API keys are enforced (API_AUTH=auto: yes, except in embedded mode). */
export const authRequired = (cfg) => cfg.API_AUTH === 'required' || (cfg.API_AUTH === 'auto' && !isEmbedded(cfg));
/** The queue driver `auto` resolves to. */
export const queueDriverOf = (cfg) => cfg.QUEUE_DRIVER === 'auto' ? (cfg.REDIS_URL ? 'bullmq' : 'inprocess') : cfg.QUEUE_DRIVER;
/** Config as text with secrets redacted, for `npm run config:check` and the startup log. */
export function redactedConfig(cfg) {
    const out = { roles: cfg.roles };
    for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
        if (!(name in cfg))
            continue;
        const v = cfg[name];
        out[name] = spec.secret && v !== undefined ? redactSecret(String(v)) : v;
    }
    return out;
}
function redactSecret(v) {
    // Keep a URL's shape (scheme and host help debugging), drop its credentials. Only real
    // scheme://host URLs: a key like "sk:abc" also parses as a URL and must be hidden whole.
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(v))
        return '***';
    try {
        const u = new URL(v);
        if (u.password)
            u.password = '***';
        return u.toString().replace(/\/$/, '');
    }
    catch {
        return '***';
    }
}
//# sourceMappingURL=load.js.map