/**
 * Shared setup for `bench/fanout.ts` and `bench/api.ts`: a fresh database per run (created and
 * dropped), Sift booted as real child processes (`node dist/src/main.js <roles>`, as a container
 * would run it) and awaited on `/health/ready`, API key creation, a Redis namespace cleaned up
 * afterwards, and CPU accounting per process from /proc (the benches share 2 cores with the
 * server, so where the CPU goes is part of every result).
 *
 * Everything targets 127.0.0.1 and is torn down on success, failure and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Bootstrap admin key every bench deployment is started with (used only to create the bench's own keys). */
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
export const MAIN = resolve('dist/src/main.js');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// ------------------------------------------------------------------------------------------------
// Cleanup: LIFO stack run once on normal end, failure, SIGINT/SIGTERM.
const cleanups = [];
let signalsInstalled = false;
/** Registers a teardown step; returns a function that runs it now (and unregisters it). */
export function onCleanup(name, fn) {
    const entry = { name, fn };
    cleanups.push(entry);
    if (!signalsInstalled) {
        signalsInstalled = true;
        const onSignal = (sig) => {
            process.stderr.write(`\n${sig}: cleaning up (${cleanups.map((c) => c.name).join(', ')})\n`);
            void runCleanups().finally(() => process.exit(130));
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
    }
    return async () => {
        const i = cleanups.indexOf(entry);
        if (i < 0)
            return;
        cleanups.splice(i, 1);
        await runStep(entry);
    };
}
async function runStep(c) {
    try {
        await c.fn();
    }
    catch (err) {
        process.stderr.write(`cleanup ${c.name} failed: ${err.message}\n`);
    }
}
export async function runCleanups() {
    while (cleanups.length)
        await runStep(cleanups.pop());
}
/**
 * Runs a bench's main to the end: a failure prints `bench:<name> failed: <stack>` and sets exit
 * code 1; registered cleanups run either way; then the process exits with process.exitCode.
 */
export function runBench(name, main) {
    main()
        .catch((err) => {
        process.stderr.write(`bench:${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exitCode = 1;
    })
        .finally(async () => {
        await runCleanups();
        process.exit(process.exitCode ?? 0);
    });
}
async function admin(fn) {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, application_name: 'sift-bench-admin' });
    await c.connect();
    try {
        return await fn(c);
    }
    finally {
        await c.end();
    }
}
/** A fresh, empty database `<prefix>_<random>`; Sift's own migrations run when it boots. Dropped on cleanup. */
export async function createDatabase(prefix) {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    const drop = onCleanup(`drop database ${name}`, () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
    return { name, url: u.toString(), drop };
}
/** One query with a short-lived client. */
export async function pgQuery(url, sql, params = []) {
    const c = new pg.Client({ connectionString: url, application_name: 'sift-bench' });
    await c.connect();
    try {
        return (await c.query(sql, params)).rows;
    }
    finally {
        await c.end();
    }
}
// ------------------------------------------------------------------------------------------------
// Redis namespace
/** A fresh REDIS_KEY_PREFIX whose keys (jobs, rate-limit counters) are deleted on cleanup. */
export function redisNamespace(prefix) {
    const ns = `${prefix}-${randomBytes(3).toString('hex')}`;
    onCleanup(`redis keys ${ns}:*`, () => clearRedisPrefix(ns));
    return ns;
}
export async function clearRedisPrefix(prefix) {
    const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    await r.connect();
    let n = 0;
    try {
        let cursor = '0';
        do {
            const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length)
                n += await r.unlink(...keys);
        } while (cursor !== '0');
    }
    finally {
        r.disconnect();
    }
    return n;
}
// ------------------------------------------------------------------------------------------------
// Sift processes
export async function freePort() {
    return new Promise((res, rej) => {
        const s = createServer();
        s.once('error', rej);
        s.listen(0, '127.0.0.1', () => {
            const a = s.address();
            const port = typeof a === 'object' && a ? a.port : 0;
            s.close(() => res(port));
        });
    });
}
/**
 * Env for a bench deployment: limits raised far above anything a bench sends (so the numbers are
 * the server's, not the rate limiter's refusals), quiet logs, no .env file.
 */
export function benchSiftEnv(o) {
    const env = {
        DATABASE_URL: o.databaseUrl,
        REDIS_URL: o.redisPrefix ? REDIS_URL : undefined,
        REDIS_KEY_PREFIX: o.redisPrefix,
        SIFT_ENV_FILE: 'none',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        API_ADMIN_KEY: BENCH_ADMIN_KEY,
        API_RATE_LIMIT_PER_MIN: '1000000',
        API_RATE_LIMIT_IP_PER_MIN: '1000000',
        API_SEARCH_RATE_LIMIT_PER_MIN: '1000000',
        API_SEARCH_EMBED_BUDGET_PER_MIN: '10000000',
        ...o.extra,
    };
    return Object.fromEntries(Object.entries(env).filter((e) => e[1] !== undefined));
}
/** Spawns `node dist/src/main.js <roles>` on a free port and waits for /health/ready (200). */
export async function startSift(o) {
    if (!existsSync(MAIN))
        throw new Error(`${MAIN} missing: run \`npm run build\` first`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), MAIN, o.roles], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...o.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = [];
    const keep = (d) => {
        for (const l of d.toString().split('\n'))
            if (l.trim())
                lines.push(l.slice(0, 2000));
        if (lines.length > 200)
            lines.splice(0, lines.length - 200);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise((r) => child.once('exit', (code, sig) => r(code ?? (sig ? 128 : null))));
    const tail = () => lines.slice(-30).join('\n');
    const stop = async (graceMs = 20_000) => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(t);
            return code;
        }
        return exited;
    };
    const unregister = onCleanup(`stop sift ${o.name} (pid ${child.pid})`, () => stop(5_000));
    const handle = {
        name: o.name,
        roles: o.roles,
        url,
        port,
        pid: child.pid,
        child,
        tail,
        stop: async (graceMs) => {
            const code = await stop(graceMs);
            await unregister();
            return code;
        },
    };
    const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
    let last = '';
    for (;;) {
        if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`sift ${o.name} exited (${child.exitCode ?? child.signalCode}) before ready:\n${tail()}`);
        try {
            const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
            const body = await res.json().catch(() => ({}));
            last = `${res.status} ${JSON.stringify(body).slice(0, 500)}`;
            if (res.status === 200 && (!o.readyWhen || o.readyWhen(body)))
                return handle;
        }
        catch (err) {
            last = err.message;
        }
        if (Date.now() > deadline) {
            await handle.stop(2000);
            throw new Error(`sift ${o.name} not ready after ${o.readyTimeoutMs ?? 120_000} ms (last: ${last}):\n${tail()}`);
        }
        await sleep(250);
    }
}
/** POST /admin/keys with the bootstrap admin key; returns the secret. */
export async function createKey(url, body) {
    const res = await fetch(`${url}/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({})));
    if (res.status !== 201 || !json.key)
        throw new Error(`creating key failed: ${res.status} ${JSON.stringify(json)}`);
    return json.key;
}
/** Prometheus text → map of `name{labels}` → value (labels kept verbatim); empty when the process does not answer. */
export async function scrapeMetrics(url, timeoutMs = 20_000) {
    const m = new Map();
    let text;
    try {
        text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) })).text();
    }
    catch {
        return m; // an overloaded process may not answer in time: figures from it are then missing
    }
    for (const line of text.split('\n')) {
        if (!line || line.startsWith('#'))
            continue;
        const i = line.lastIndexOf(' ');
        m.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return m;
}
// ------------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux)
const CLK_TCK = 100;
function procCpuSeconds(pid) {
    try {
        const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
    }
    catch {
        return undefined;
    }
}
function pidsByComm(names, cmdlineIncludes) {
    const out = [];
    for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d))
            continue;
        try {
            if (!names.includes(readFileSync(`/proc/${d}/comm`, 'utf8').trim()))
                continue;
            if (cmdlineIncludes && !readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(cmdlineIncludes))
                continue;
            out.push(Number(d));
        }
        catch { }
    }
    return out;
}
/** Machine-wide busy cores over `ms` (from /proc/stat). */
export async function machineBusyCores(ms = 2000) {
    const a = machineTicks();
    await sleep(ms);
    const b = machineTicks();
    const total = b.total - a.total;
    return total > 0 ? ((b.busy - a.busy) / total) * os.cpus().length : 0;
}
/**
 * Waits (up to `maxMs`) until the machine is quiet — less than `threshold` cores busy over 2 s —
 * so that another job on the box (a test run, another bench) does not end up in the figures.
 * Returns the last busy reading (the caller reports it).
 */
export async function waitForQuiet(maxMs, threshold = 0.3, log) {
    const deadline = Date.now() + maxMs;
    let busy = await machineBusyCores();
    let told = false;
    while (busy > threshold && Date.now() < deadline) {
        if (!told)
            log?.(`machine busy (${busy.toFixed(2)} cores used by other processes); waiting up to ${Math.round(maxMs / 1000)} s for it to settle`);
        told = true;
        busy = await machineBusyCores();
    }
    return busy;
}
function machineTicks() {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const v = cpu.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}
/**
 * CPU seconds per named group of processes between two snapshots. Groups: the given pids by name,
 * `postgres` = the Postgres backends connected to `database` (their process title names it),
 * `redis` = redis-server, and "other" (machine busy time not accounted to any group: Postgres
 * background writers, and anything else running on the box at the same time).
 */
export class CpuMeter {
    groups;
    database;
    constructor(groups, database) {
        this.groups = groups;
        this.database = database;
    }
    snapshot() {
        const g = new Map();
        const all = { ...this.groups(), redis: pidsByComm(['redis-server']) };
        if (this.database)
            all.postgres = pidsByComm(['postgres'], ` ${this.database} `);
        for (const [name, pids] of Object.entries(all))
            g.set(name, pids.reduce((a, p) => a + (procCpuSeconds(p) ?? 0), 0));
        return { at: performance.now(), groups: g, machine: machineTicks() };
    }
    /** Per group: cores used on average (1.0 = one core busy all the time), plus machine total and other. */
    static diff(a, b) {
        const wallS = (b.at - a.at) / 1000;
        const cores = {};
        let accounted = 0;
        for (const [k, v] of b.groups) {
            const d = Math.max(0, v - (a.groups.get(k) ?? 0)) / wallS;
            cores[k] = d;
            accounted += d;
        }
        const machineWall = (b.machine.total - a.machine.total) || wallS;
        const capacity = machineWall / wallS; // ≈ number of cores
        const machineCores = ((b.machine.busy - a.machine.busy) / machineWall) * capacity;
        return { wallS, cores, machineCores, otherCores: Math.max(0, machineCores - accounted), machineCapacity: capacity };
    }
}
// ------------------------------------------------------------------------------------------------
// Misc
/** HEAD commit and whether the working tree has changes (the bench measures the tree as built). */
export function gitRevision() {
    try {
        const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
        const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim().length > 0;
        return { commit, dirty };
    }
    catch {
        return { commit: 'unknown', dirty: false };
    }
}
/** p-th percentile (0..100) of a sorted numeric array (nearest rank). */
export function percentile(sorted, p) {
    if (!sorted.length)
        return NaN;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[i];
}
//# sourceMappingURL=bench-env.js.map