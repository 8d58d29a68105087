import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
export function median(xs) {
    if (!xs.length)
        return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** 12345.6 → "12,346"; fractional digits for small numbers. */
export function fmt(n, digits) {
    if (!Number.isFinite(n))
        return String(n);
    const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
    return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
export const fmtMiB = (bytes) => `${fmt(bytes / 1048576, 0)} MiB`;
/** A GitHub-flavoured markdown table; numbers are right-aligned and formatted with {@link fmt}. */
export function markdownTable(headers, rows) {
    const text = (c) => (c === null || c === undefined ? '' : typeof c === 'number' ? fmt(c) : String(c));
    const cells = rows.map((r) => headers.map((_, i) => text(r[i])));
    const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
    const width = headers.map((h, i) => Math.max(3, h.length, ...cells.map((r) => r[i].length)));
    const pad = (s, i) => (numeric[i] ? s.padStart(width[i]) : s.padEnd(width[i]));
    const line = (r) => `| ${r.map(pad).join(' | ')} |`;
    const sep = `|${width.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
    return [line(headers), sep, ...cells.map(line)].join('\n');
}
/**
 * Samples process.memoryUsage().rss every `intervalMs` (default 50 ms). Tracks the overall peak
 * and, optionally, the peak within named phases.
 */
export class RssSampler {
    intervalMs;
    peak = 0;
    timer;
    phase;
    phases = [];
    constructor(intervalMs = 50) {
        this.intervalMs = intervalMs;
    }
    start() {
        this.sample();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
        return this;
    }
    stop() {
        clearInterval(this.timer);
        this.sample();
        return this.peak;
    }
    /** Starts a phase (ending the previous one). */
    beginPhase(name) {
        this.endPhase();
        const rss = this.sample();
        this.phase = { name, startRss: rss, peak: rss };
    }
    endPhase() {
        const p = this.phase;
        if (!p)
            return undefined;
        this.sample();
        this.phase = undefined;
        this.phases.push(p);
        return p;
    }
    /** Highest peak over all phases with this name. */
    phasePeak(name) {
        return Math.max(0, ...this.phases.filter((p) => p.name === name).map((p) => p.peak));
    }
    /** Largest rise above the phase's starting RSS over all phases with this name. */
    phaseGrowth(name) {
        return Math.max(0, ...this.phases.filter((p) => p.name === name).map((p) => p.peak - p.startRss));
    }
    sample() {
        const rss = process.memoryUsage().rss;
        if (rss > this.peak)
            this.peak = rss;
        if (this.phase && rss > this.phase.peak)
            this.phase.peak = rss;
        return rss;
    }
}
/** A target: `actual op target`, formatted with `unit`. */
export function check(name, actual, op, target, unit = '', digits) {
    const u = unit ? ` ${unit}` : '';
    return {
        name,
        target: `${op} ${fmt(target, digits)}${u}`,
        actual: `${fmt(actual, digits)}${u}`,
        pass: op === '>=' ? actual >= target : actual <= target,
    };
}
export function environment() {
    return {
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memTotalMiB: Math.round(os.totalmem() / 1048576),
    };
}
/** Renders the report as markdown. */
export function renderReport(r) {
    const out = [`## ${r.title}`, ''];
    const params = Object.entries(r.params).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    if (params.length)
        out.push(params.join(' · '), '');
    for (const t of r.tables) {
        if (t.title)
            out.push(`### ${t.title}`, '');
        out.push(markdownTable(t.headers, t.rows), '');
    }
    if (r.checks.length) {
        out.push('### Targets', '');
        out.push(markdownTable(['target', 'wanted', 'measured', 'result'], r.checks.map((c) => [c.name, c.target, c.actual, c.pass ? 'PASS' : 'FAIL'])), '');
    }
    for (const n of r.notes ?? [])
        out.push(`- ${n}`);
    if (r.notes?.length)
        out.push('');
    return out.join('\n');
}
/**
 * Prints the report as markdown to stdout and writes `bench/out/<bench>.json` (relative to the
 * working directory). Returns the JSON object written.
 */
export function emitReport(r, outDir = resolve('bench/out')) {
    process.stdout.write(renderReport(r) + '\n');
    const json = {
        bench: r.bench,
        title: r.title,
        at: new Date().toISOString(),
        environment: environment(),
        params: r.params,
        figures: r.figures,
        checks: r.checks,
        pass: r.checks.every((c) => c.pass),
    };
    const file = resolve(outDir, `${r.bench}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
    process.stdout.write(`figures written to ${file}\n`);
    return json;
}
/** Tiny flag parser: `--name value`, `--name=value`, bare `--flag` = true. */
export function parseFlags(argv = process.argv.slice(2)) {
    const m = new Map();
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--'))
            throw new Error(`unexpected argument ${a}`);
        const eq = a.indexOf('=');
        if (eq > 0)
            m.set(a.slice(2, eq), a.slice(eq + 1));
        else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
            m.set(a.slice(2), argv[++i]);
        else
            m.set(a.slice(2), true);
    }
    return m;
}
/** `--name N` as a positive integer, `dflt` when absent; a bad value fails naming the flag. */
export function positiveIntFlag(flags, name, dflt) {
    const v = flags.get(name);
    if (v === undefined)
        return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
        throw new Error(`--${name} wants a positive integer, got ${String(v)}`);
    return n;
}
/** `--name X` as a positive number (fractions allowed), `dflt` when absent. */
export function positiveNumberFlag(flags, name, dflt) {
    const v = flags.get(name);
    if (v === undefined)
        return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
        throw new Error(`--${name} wants a positive number, got ${String(v)}`);
    return n;
}
//# sourceMappingURL=report.js.map