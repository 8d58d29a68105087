import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const MAIN = 'dist/src/main.js';

export interface SiftProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, any>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built entry point as a real process (as a container would). `npm test` builds first. */
export function spawnSift(env: Record<string, string>, args: string[] = []): SiftProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` (npm test does it for you)`);
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', SIFT_ENV_FILE: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    stdout.push(...lines);
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    logs: () =>
      stdout.flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
