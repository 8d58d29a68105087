import { describe, it, expect } from 'vitest';
import {
  ConfigError,
  ENV_SCHEMA,
  isEmbedded,
  loadConfig,
  queueDriverOf,
  redactedConfig,
  renderEnvExample,
  renderEnvTable,
  startupSummary,
  type SiftConfig,
} from '../../libs/config/index.js';

const DB = 'postgres://sift:hunter2@db.internal:5432/sift';
/** The least an env needs: DATABASE_URL is the only var required by every role. */
const base = (extra: Record<string, string | undefined> = {}) => ({ DATABASE_URL: DB, ...extra });

/** Runs loadConfig expecting a ConfigError; returns it for inspection. */
function configError(env: Record<string, string | undefined>, roles?: string): ConfigError {
  try {
    loadConfig(env, roles);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

const problemFor = (err: ConfigError, name: string) => err.problems.find((p) => p.name === name);

describe('loadConfig: role selection', () => {
  it('defaults to every role when SIFT_ROLES is unset', () => {
    expect(loadConfig(base()).roles).toEqual(['relay', 'api', 'worker']);
  });

  it('expands "all" to every role', () => {
    expect(loadConfig(base({ SIFT_ROLES: 'all' })).roles).toEqual(['relay', 'api', 'worker']);
  });

  it('selects a single role', () => {
    expect(loadConfig(base({ SIFT_ROLES: 'relay' })).roles).toEqual(['relay']);
  });

  it('selects a comma list, tolerating spaces and case, in canonical order', () => {
    expect(loadConfig(base({ SIFT_ROLES: 'relay,api' })).roles).toEqual(['relay', 'api']);
    expect(loadConfig(base({ SIFT_ROLES: ' API , Relay ' })).roles).toEqual(['relay', 'api']);
  });

  it('lets the argv roles argument override SIFT_ROLES', () => {
    expect(loadConfig(base({ SIFT_ROLES: 'relay' }), 'worker').roles).toEqual(['worker']);
    expect(loadConfig(base({ SIFT_ROLES: 'bogus' }), 'api').roles).toEqual(['api']);
  });

  it('rejects an unknown role in SIFT_ROLES, naming the word and the var', () => {
    const err = configError(base({ SIFT_ROLES: 'relay,apii' }));
    const p = problemFor(err, 'SIFT_ROLES');
    expect(p?.message).toContain('apii');
    expect(err.message).toMatch(/SIFT_ROLES: .*apii/);
  });

  it('rejects an unknown role in the argv argument, attributing it to the argument', () => {
    const err = configError(base({ SIFT_ROLES: 'relay' }), 'wroker');
    expect(problemFor(err, 'roles argument')?.message).toContain('wroker');
    expect(problemFor(err, 'SIFT_ROLES')).toBeUndefined();
  });
});

describe('loadConfig: required and malformed vars', () => {
  it('fails without DATABASE_URL for split roles, naming it (all roles = embedded mode)', () => {
    const err = configError({}, 'api');
    expect(err.name).toBe('ConfigError');
    expect(err.message).toContain('DATABASE_URL');
    expect(problemFor(err, 'DATABASE_URL')?.message).toMatch(/required for split roles/);
    expect(isEmbedded(loadConfig({}))).toBe(true);
    expect(isEmbedded(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }))).toBe(false);
  });

  it('treats an empty DATABASE_URL as missing', () => {
    expect(problemFor(configError({ DATABASE_URL: '' }, 'relay,worker'), 'DATABASE_URL')?.message).toMatch(/required/);
    expect(isEmbedded(loadConfig({ DATABASE_URL: '' }))).toBe(true);
  });

  it.each([
    ['abc', /whole number/],
    ['70000', /≤ 65535/],
    ['-1', /≥ 0/],
    ['80.5', /whole number/],
  ])('rejects PORT=%s, naming PORT and the value', (port, msg) => {
    const err = configError(base({ PORT: port }));
    const p = problemFor(err, 'PORT');
    expect(p?.message).toMatch(msg);
    expect(p?.message).toContain(JSON.stringify(port));
    expect(err.message).toContain('PORT');
  });

  it('parses a valid PORT (trimmed) to a number', () => {
    expect(loadConfig(base({ PORT: ' 8080 ' })).PORT).toBe(8080);
    expect(loadConfig(base()).PORT).toBe(3000);
  });

  it('reports several bad vars in one error', () => {
    const err = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DB_POOL_MAX: '0', DB_MIGRATIONS_RUN: 'maybe' }, 'relay');
    expect(err.problems.map((p) => p.name).sort()).toEqual(
      ['DATABASE_URL', 'DB_MIGRATIONS_RUN', 'DB_POOL_MAX', 'LOG_LEVEL', 'PORT'].sort(),
    );
    for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'DB_POOL_MAX', 'DB_MIGRATIONS_RUN']) {
      expect(err.message).toContain(`${name}: `);
    }
    expect(problemFor(err, 'LOG_LEVEL')?.message).toMatch(/must be one of trace, debug/);
  });

  it('does not echo secret values in problems', () => {
    const err = configError({ DATABASE_URL: 'mysql://root:topsecret@db/x' });
    expect(problemFor(err, 'DATABASE_URL')?.message).toContain('(secret)');
    expect(err.message).not.toContain('topsecret');
  });

  it('parses booleans and enums case-insensitively', () => {
    const cfg = loadConfig(base({ DB_MIGRATIONS_RUN: 'OFF', LOG_LEVEL: 'DEBUG' }));
    expect(cfg.DB_MIGRATIONS_RUN).toBe(false);
    expect(cfg.LOG_LEVEL).toBe('debug');
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to auto (pretty in a terminal, json otherwise)', () => {
    expect(loadConfig(base()).LOG_FORMAT).toBe('auto');
  });

  it('accepts json and pretty, and rejects anything else', () => {
    expect(loadConfig(base({ LOG_FORMAT: 'JSON' })).LOG_FORMAT).toBe('json');
    expect(loadConfig(base({ LOG_FORMAT: 'pretty' })).LOG_FORMAT).toBe('pretty');
    expect(problemFor(configError(base({ LOG_FORMAT: 'text' })), 'LOG_FORMAT')?.message).toMatch(/must be one of auto, json, pretty/);
  });
});

describe('startupSummary', () => {
  const url = 'http://127.0.0.1:3000';

  it('names the postgres and redis endpoints without their passwords', () => {
    const text = startupSummary(loadConfig(base({ REDIS_URL: 'redis://:s3cret@cache:6379' })), { url, embeddings: 'glove-100d@1 on cpu (100 dims)' });
    expect(text).toContain('postgres db.internal:5432/sift');
    expect(text).toContain('bullmq on redis cache:6379');
    expect(text).toContain('embeddings  glove-100d@1 on cpu (100 dims)');
    expect(text).not.toMatch(/hunter2|s3cret/);
  });

  it('says embedded mode, where its data lives, and in-process jobs', () => {
    const text = startupSummary(loadConfig({ SIFT_DATA_DIR: '/var/tmp/sift' }), { url });
    expect(text.split('\n')[0]).toBe(`sift listening on ${url}`);
    expect(text).toMatch(/roles +relay, api, worker/);
    expect(text).toContain('embedded PGlite at /var/tmp/sift/pglite');
    expect(text).toContain('in-process');
    expect(text).toContain(`${url}/docs  ${url}/health/ready  ${url}/metrics`);
  });

  it('lists /docs only for the api role and no model line for a role without one', () => {
    const text = startupSummary(loadConfig(base(), 'relay'), { url });
    expect(text).not.toContain('/docs');
    expect(text).not.toContain('embeddings');
    expect(text).toContain(`${url}/health/ready`);
  });
});

describe('loadConfig: vars of unselected roles', () => {
  it('ignores a worker-only var when only relay is selected', () => {
    const cfg = loadConfig(base({ EMBED_BATCH_SIZE: 'oops' }), 'relay');
    expect(cfg.roles).toEqual(['relay']);
    expect('EMBED_BATCH_SIZE' in cfg).toBe(false);
  });

  it('validates the same var when worker is selected', () => {
    const err = configError(base({ EMBED_BATCH_SIZE: 'oops' }), 'worker');
    expect(problemFor(err, 'EMBED_BATCH_SIZE')?.message).toMatch(/whole number/);
  });

  it('ignores relay vars for an api-only process, and validates them for relay', () => {
    const env = base({ RELAY_SOURCES: 'not json', RELAY_BATCH_SIZE: '-5' });
    expect(loadConfig(env, 'api').roles).toEqual(['api']);
    const err = configError(env, 'relay');
    expect(err.problems.map((p) => p.name).sort()).toEqual(['RELAY_BATCH_SIZE', 'RELAY_SOURCES']);
  });

  it('keeps the relay\'s connections (a lease and RELAY_WRITES_IN_FLIGHT writes per source) below DB_POOL_MAX', () => {
    const sources = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ name: `s${i}`, kind: 'replay' })));
    expect(loadConfig(base({ RELAY_SOURCES: sources(3) }), 'relay').RELAY_WRITES_IN_FLIGHT).toBe(2); // 3 × 3 = 9 < 10
    const err = configError(base({ RELAY_SOURCES: sources(4) }), 'relay');
    expect(problemFor(err, 'RELAY_WRITES_IN_FLIGHT')?.message).toMatch(/4 source\(s\) × \(1 lease \+ 2 writes\) must stay below DB_POOL_MAX \(10\)/);
    expect(loadConfig(base({ RELAY_SOURCES: sources(4), RELAY_WRITES_IN_FLIGHT: '1' }), 'relay').RELAY_WRITES_IN_FLIGHT).toBe(1);
    expect(loadConfig(base({ RELAY_SOURCES: sources(4) }), 'api').roles).toEqual(['api']);
  });

  it('fills defaults only for selected roles', () => {
    const relay = loadConfig(base(), 'relay');
    expect(relay.RELAY_BATCH_SIZE).toBe(1000);
    expect('EMBED_BATCH_SIZE' in relay).toBe(false);
    const worker = loadConfig(base(), 'worker');
    expect(worker.EMBED_BATCH_SIZE).toBe(128);
    expect('RELAY_BATCH_SIZE' in worker).toBe(false);
  });
});

describe('loadConfig: URLs', () => {
  it('removes trailing slashes from DATABASE_URL and REDIS_URL', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sift//', REDIS_URL: 'redis://cache:6379/' });
    expect(cfg.DATABASE_URL).toBe('postgres://u:p@db:5432/sift');
    expect(cfg.REDIS_URL).toBe('redis://cache:6379');
  });

  it('keeps credentials, path and query while normalising', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgresql://u:p@db/sift/?sslmode=require', REDIS_URL: 'rediss://default:tok@cache:6380/2/' });
    expect(cfg.DATABASE_URL).toBe('postgresql://u:p@db/sift?sslmode=require');
    expect(cfg.REDIS_URL).toBe('rediss://default:tok@cache:6380/2');
  });

  // Regression (was a bug in libs/config/fields.ts, normaliseUrl): userinfo was only emitted when `u.username` is
  // non-empty, so a password-only URL loses its password. `redis://:secret@host:6379` is the usual
  // form for a Redis with `requirepass`; it becomes `redis://host:6379` and BullMQ / the bus then
  // connect without AUTH (NOAUTH errors). Same for `postgres://:pw@db/x`.
  it('keeps a password-only userinfo (redis://:password@host)', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://:pw@db/sift', REDIS_URL: 'rediss://:tok@cache:6380/2/' });
    expect(cfg.REDIS_URL).toBe('rediss://:tok@cache:6380/2');
    expect(cfg.DATABASE_URL).toBe('postgres://:pw@db/sift');
  });

  it('leaves an already-clean URL unchanged', () => {
    expect(loadConfig(base()).DATABASE_URL).toBe(DB);
  });

  it.each([
    ['DATABASE_URL', 'mysql://u:p@db/sift', /postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', 'not a url', /postgres:\/\//],
    ['REDIS_URL', 'http://cache:6379', /redis:\/\/ or rediss:\/\//],
  ])('rejects %s=%s with the expected protocols', (name, value, msg) => {
    const env: Record<string, string> = name === 'DATABASE_URL' ? { DATABASE_URL: value } : base({ [name]: value });
    expect(problemFor(configError(env), name)?.message).toMatch(msg);
  });
});

describe('loadConfig: RELAY_SOURCES', () => {
  const relay = (sources: string) => configError(base({ RELAY_SOURCES: sources }), 'relay');
  const sourcesProblem = (sources: string) => problemFor(relay(sources), 'RELAY_SOURCES')?.message ?? '';

  it('defaults to the demo replay source with its defaults filled', () => {
    expect(loadConfig(base(), 'relay').RELAY_SOURCES).toEqual([
      { name: 'demo', kind: 'replay', file: 'data/sample-posts.ndjson', rate: 200, loop: false },
    ]);
  });

  it('parses a jetstream source, stripping the URL trailing slash and filling defaults', () => {
    const cfg = loadConfig(base({ RELAY_SOURCES: '[{"name":"bsky","kind":"jetstream","url":"wss://js.example/"}]' }), 'relay');
    expect(cfg.RELAY_SOURCES).toEqual([
      { name: 'bsky', kind: 'jetstream', url: 'wss://js.example', collections: ['app.bsky.feed.post'], resume: true },
    ]);
  });

  it('rejects invalid JSON', () => {
    expect(sourcesProblem('[{"name":"x",')).toMatch(/is not valid JSON/);
  });

  it('rejects an unknown kind, naming the path', () => {
    expect(sourcesProblem('[{"name":"x","kind":"firehose"}]')).toMatch(/at 0\.kind/);
  });

  it('rejects duplicate names', () => {
    expect(sourcesProblem('[{"name":"a","kind":"replay"},{"name":"a","kind":"replay"}]')).toMatch(/source names must be unique/);
  });

  it('rejects a non-ws jetstream url, naming the path', () => {
    const msg = sourcesProblem('[{"name":"a","kind":"replay"},{"name":"b","kind":"jetstream","url":"https://js.example"}]');
    expect(msg).toMatch(/at 1\.url: must be a ws:\/\/ or wss:\/\/ URL/);
  });

  it('rejects a bad source name', () => {
    expect(sourcesProblem('[{"name":"Bad Name","kind":"replay"}]')).toMatch(/at 0\.name: source name must be/);
  });

  it('rejects a non-array', () => {
    expect(sourcesProblem('{"name":"a","kind":"replay"}')).not.toBe('');
  });

  it('requires RELAY_SEALED_SECRET_KEY when a sealed source is configured', () => {
    const err = relay('[{"name":"vault","kind":"sealed","url":"https://vault.example"}]');
    expect(problemFor(err, 'RELAY_SEALED_SECRET_KEY')?.message).toMatch(/sealed source/);
  });
});

describe('queue driver', () => {
  it('fails when QUEUE_DRIVER=bullmq and REDIS_URL is unset', () => {
    const err = configError(base({ QUEUE_DRIVER: 'bullmq' }));
    expect(problemFor(err, 'QUEUE_DRIVER')?.message).toMatch(/REDIS_URL/);
  });

  it('accepts bullmq with REDIS_URL', () => {
    const cfg = loadConfig(base({ QUEUE_DRIVER: 'BullMQ', REDIS_URL: 'redis://cache' }));
    expect(cfg.QUEUE_DRIVER).toBe('bullmq');
    expect(queueDriverOf(cfg)).toBe('bullmq');
  });

  it('resolves auto to bullmq with REDIS_URL and to inprocess without', () => {
    expect(queueDriverOf(loadConfig(base({ REDIS_URL: 'redis://cache:6379' })))).toBe('bullmq');
    expect(queueDriverOf(loadConfig(base()))).toBe('inprocess');
  });

  it('keeps an explicit inprocess even when REDIS_URL is set', () => {
    expect(queueDriverOf(loadConfig(base({ QUEUE_DRIVER: 'inprocess', REDIS_URL: 'redis://cache' })))).toBe('inprocess');
  });

  it('rejects an unknown driver', () => {
    expect(problemFor(configError(base({ QUEUE_DRIVER: 'kafka' })), 'QUEUE_DRIVER')?.message).toMatch(/must be one of auto, bullmq, inprocess/);
  });
});

describe('redactedConfig', () => {
  it('hides the DATABASE_URL password but keeps scheme, user, host and database', () => {
    const out = redactedConfig(loadConfig(base()));
    expect(out.DATABASE_URL).toBe('postgres://sift:***@db.internal:5432/sift');
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });

  it('hides the REDIS_URL password', () => {
    const out = redactedConfig(loadConfig(base({ REDIS_URL: 'rediss://default:s3cr3tpw@cache:6380' })));
    expect(out.REDIS_URL).toBe('rediss://default:***@cache:6380');
    expect(JSON.stringify(out)).not.toContain('s3cr3tpw');
  });

  it('fully hides a secret that is not a URL', () => {
    const key = 'k'.repeat(32);
    const out = redactedConfig(loadConfig(base({ API_ADMIN_KEY: key }), 'api'));
    expect(out.API_ADMIN_KEY).toBe('***');
  });

  // Regression (was a bug in libs/config/load.ts, redactSecret): any secret that WHATWG `new URL` happens to accept is
  // treated as a URL, and only its password field is masked. A non-URL secret containing a colon,
  // e.g. API_ADMIN_KEY="sk:abcdefghijklmnopqrstuvwxyz", parses as scheme "sk:" with no password and is
  // returned verbatim, leaking the key into `config:check` output and the startup log.
  it('fully hides a non-URL secret that contains a colon', () => {
    const key = 'sk:abcdefghijklmnopqrstuvwxyz';
    const out = redactedConfig(loadConfig(base({ API_ADMIN_KEY: key }), 'api'));
    expect(JSON.stringify(out)).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('leaves non-secret values and roles as they are', () => {
    const cfg = loadConfig(base({ PORT: '4000' }), 'relay');
    const out = redactedConfig(cfg);
    expect(out.roles).toEqual(['relay']);
    expect(out.PORT).toBe(4000);
    expect(out.RELAY_SOURCES).toEqual(cfg.RELAY_SOURCES);
    expect('EMBED_BATCH_SIZE' in out).toBe(false);
  });

  it('does not mutate the config it redacts', () => {
    const cfg: SiftConfig = loadConfig(base());
    redactedConfig(cfg);
    expect(cfg.DATABASE_URL).toBe(DB);
  });
});

describe('env docs', () => {
  const names = Object.keys(ENV_SCHEMA);

  it('the schema is not trivially small', () => {
    expect(names).toContain('DATABASE_URL');
    expect(names).toContain('RELAY_SOURCES');
    expect(names.length).toBeGreaterThan(20);
  });

  it('renderEnvExample mentions every var, with defaults commented and required vars blank', () => {
    const text = renderEnvExample();
    const lines = text.split('\n');
    for (const name of names) {
      const spec = (ENV_SCHEMA as Record<string, { default?: string }>)[name]!;
      const expected = spec.default !== undefined ? `# ${name}=${spec.default}` : `${name}=`;
      expect(lines, name).toContain(expected);
    }
    expect(lines).toContain('# roles: all · secret'); // DATABASE_URL: optional (embedded mode), secret
    expect(lines).toContain('DATABASE_URL=');
  });

  it('renderEnvTable has a header and exactly one row per var', () => {
    const rows = renderEnvTable().split('\n');
    expect(rows[0]).toMatch(/^\| var \| roles \| default \| secret \| what it does \|$/);
    expect(rows[1]).toMatch(/^\| --- \|/);
    const body = rows.slice(2);
    expect(body).toHaveLength(names.length);
    for (const name of names) {
      expect(body.filter((r) => r.startsWith(`| \`${name}\` |`)), name).toHaveLength(1);
    }
    expect(body.find((r) => r.startsWith('| `DATABASE_URL` |'))).toMatch(/\(unset\) \| yes \|/);
  });
});
