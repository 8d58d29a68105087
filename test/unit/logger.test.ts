import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger, resolveLogFormat } from '../../libs/observability/index.js';

/** Logs one record in `format` and returns what was written. */
function logged(format: 'json' | 'pretty'): string {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const log = createRootLogger({ level: 'info', format, roles: ['api'], destination: out });
  log.info({ url: 'http://127.0.0.1:3000' }, 'sift listening');
  log.child({ context: 'Embeddings' }).warn('model active');
  log.flush?.();
  return Buffer.concat(chunks).toString('utf8');
}

describe('log format', () => {
  it('auto is pretty in a terminal and json otherwise; explicit formats win', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('json writes one JSON object per line', () => {
    const [first, second] = logged('json').trim().split('\n').map((l) => JSON.parse(l));
    expect(first).toMatchObject({ level: 30, role: 'api', url: 'http://127.0.0.1:3000', msg: 'sift listening' });
    expect(second).toMatchObject({ level: 40, role: 'api', context: 'Embeddings', msg: 'model active' });
  });

  it('pretty writes human lines: time, level label, context and message, then the other fields', () => {
    const text = logged('pretty');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: sift listening\n    url: "http:\/\/127\.0\.0\.1:3000"\n/);
    expect(text).toMatch(/\] WARN: Embeddings: model active\n/);
    expect(text).not.toContain('role:');
    expect(() => JSON.parse(text)).toThrow();
  });
});
