import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';

/**
 * Shared helpers for the `bench/*` scripts: statistics, an RSS sampler, markdown tables, target
 * checks with PASS/FAIL, and a JSON dump of the figures under bench/out/ (gitignored).
 */

export type Cell = string | number | boolean | null | undefined;

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 12345.6 → "12,346"; fractional digits for small numbers. */
export function fmt(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return String(n);
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export const fmtMiB = (bytes: number) => `${fmt(bytes / 1048576, 0)} MiB`;

/** A GitHub-flavoured markdown table; numbers are right-aligned and formatted with {@link fmt}. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell) => (c === null || c === undefined ? '' : typeof c === 'number' ? fmt(c) : String(c));
  const cells = rows.map((r) => headers.map((_, i) => text(r[i])));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
  const width = headers.map((h, i) => Math.max(3, h.length, ...cells.map((r) => r[i]!.length)));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(width[i]!) : s.padEnd(width[i]!));
  const line = (r: readonly string[]) => `| ${r.map(pad).join(' | ')} |`;
  const sep = `|${width.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), sep, ...cells.map(line)].join('\n');
}

/**
 * Samples process.memoryUsage().rss every `intervalMs` (default 50 ms). Tracks the overall peak
 * and, optionally, the peak within named phases.
 */
export class RssSampler {
  peak = 0;
  private timer?: NodeJS.Timeout;
  private phase?: { name: string; startRss: number; peak: number };
  readonly phases: { name: string; startRss: number; peak: number }[] = [];

  constructor(private readonly intervalMs = 50) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  /** Starts a phase (ending the previous one). */
  beginPhase(name: string) {
    this.endPhase();
    const rss = this.sample();
    this.phase = { name, startRss: rss, peak: rss };
  }

  endPhase(): { name: string; startRss: number; peak: number } | undefined {
    const p = this.phase;
    if (!p) return undefined;
    this.sample();
    this.phase = undefined;
    this.phases.push(p);
    return p;
  }

  /** Highest peak over all phases with this name. */
  phasePeak(name: string): number {
    return Math.max(0, ...this.phases.filter((p) => p.name === name).map((p) => p.peak));
  }

  /** Largest rise above the phase's starting RSS over all phases with this name. */
  phaseGrowth(name: string): number {
    return Math.max(0, ...this.phases.filter((p) => p.name === name).map((p) => p.peak - p.startRss));
  }

  private sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    if (this.phase && rss > this.phase.peak) this.phase.peak = rss;
    return rss;
  }
}

export interface Check {
  name: string;
  /** e.g. ">= 20,000 events/s" */
  target: string;
  actual: string;
  pass: boolean;
}

/** A target: `actual op target`, formatted with `unit`. */
export function check(name: string, actual: number, op: '>=' | '<=', target: number, unit = '', digits?: number): Check {
  const u = unit ? ` ${unit}` : '';
  return {
    name,
    target: `${op} ${fmt(target, digits)}${u}`,
    actual: `${fmt(actual, digits)}${u}`,
    pass: op === '>=' ? actual >= target : actual <= target,
  };
}

export interface BenchTable {
  title?: string;
  headers: string[];
  rows: Cell[][];
}

export interface BenchReport {
  /** File name under bench/out/ (without .json), e.g. "ingest". */
  bench: string;
  title: string;
  /** Inputs (sizes, flags) printed above the tables and saved. */
  params: Record<string, unknown>;
  tables: BenchTable[];
  checks: Check[];
  /** Machine-readable results saved to JSON. */
  figures: Record<string, unknown>;
  notes?: string[];
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
export function renderReport(r: BenchReport): string {
  const out: string[] = [`## ${r.title}`, ''];
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  if (params.length) out.push(params.join(' · '), '');
  for (const t of r.tables) {
    if (t.title) out.push(`### ${t.title}`, '');
    out.push(markdownTable(t.headers, t.rows), '');
  }
  if (r.checks.length) {
    out.push('### Targets', '');
    out.push(markdownTable(['target', 'wanted', 'measured', 'result'], r.checks.map((c) => [c.name, c.target, c.actual, c.pass ? 'PASS' : 'FAIL'])), '');
  }
  for (const n of r.notes ?? []) out.push(`- ${n}`);
  if (r.notes?.length) out.push('');
  return out.join('\n');
}

/**
 * Prints the report as markdown to stdout and writes `bench/out/<bench>.json` (relative to the
 * working directory). Returns the JSON object written.
 */
export function emitReport(r: BenchReport, outDir = resolve('bench/out')) {
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
export function parseFlags(argv: readonly string[] = process.argv.slice(2)): Map<string, string | true> {
  const m = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) m.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) m.set(a.slice(2), argv[++i]!);
    else m.set(a.slice(2), true);
  }
  return m;
}

/** `--name N` as a positive integer, `dflt` when absent; a bad value fails naming the flag. */
export function positiveIntFlag(flags: Map<string, string | true>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got ${String(v)}`);
  return n;
}

/** `--name X` as a positive number (fractions allowed), `dflt` when absent. */
export function positiveNumberFlag(flags: Map<string, string | true>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, got ${String(v)}`);
  return n;
}
