import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildGloveModel } from '../../scripts/build-glove-model.js';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { metrics } from '../../libs/observability/index.js';
import { defaultModelLoaders, EmbeddingsService, EmbeddingsUnavailableError } from '../../src/embeddings/embeddings.service.js';
import { staticHardwareProbe, type HardwareProbe } from '../../src/embeddings/hardware-probe.js';
import { chainMetrics } from '../../src/embeddings/embeddings.metrics.js';
import { embeddingsEndpoint, remoteModelId } from '../../src/embeddings/providers/remote.provider.js';
import { writeCorruptTinyBert, writeTinyBert, writeWrongDimsTinyBert } from '../support/tiny-bert.js';

const GLOVE_ID = 'glove-100d@1+v2000.h64';
const REMOTE_DIMS = 8;
const REMOTE_ID = remoteModelId('test-embed');

function fakeClock(start = Date.UTC(2024, 0, 1, 0, 0, 10)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => (now += ms);
  return clock;
}

function cudaProviderInstalled(): boolean {
  const ortDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  return existsSync(join(ortDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}

/** A probe that answers `cuda` and counts how often it was asked. */
function countingProbe(cuda: boolean): HardwareProbe & { calls: number } {
  const inner = staticHardwareProbe(cuda);
  const p = { calls: 0, probe: () => (p.calls++, inner.probe()) };
  return p;
}

/** An OpenAI-compatible /v1/embeddings server whose behaviour a test switches. */
interface FakeRemote {
  url: string;
  mode: 'ok' | 'fail' | 'rate-limited' | 'hang';
  /** Runs before each answer (e.g. to move a fake clock, making the request "slow"). */
  beforeAnswer?: () => void;
  requests: { path: string; headers: IncomingHttpHeaders; body: { input: string[]; model?: string } }[];
  close(): Promise<void>;
}

async function startFakeRemote(dims = REMOTE_DIMS): Promise<FakeRemote> {
  const state: Pick<FakeRemote, 'mode' | 'requests' | 'beforeAnswer'> = { mode: 'ok', requests: [] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      state.requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (state.mode === 'hang') return;
      state.beforeAnswer?.();
      if (state.mode === 'fail') return void res.writeHead(503).end('model overloaded');
      if (state.mode === 'rate-limited') return void res.writeHead(429, { 'retry-after': '120' }).end('{"error":"slow down"}');
      // Deterministic, text-dependent vectors; answered out of order to prove `index` is honoured.
      const data = (body.input as string[]).map((text, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from({ length: dims }, (_, d) => ((text.length + 1) * (d + 1)) % 7) as number[],
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: body.model, usage: { prompt_tokens: 3 * data.length, total_tokens: 3 * data.length } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections(); // hung requests would keep close() waiting
      }),
  }) as FakeRemote;
}

describe('embeddings chain', () => {
  let root: string;
  const logs = { error: [] as unknown[], warn: [] as unknown[] };
  const services: EmbeddingsService[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sift-chain-'));
    await buildGloveModel({ out: join(root, 'glove-100d'), vocab: 2000, buckets: 64, log: () => {} });
    writeTinyBert(join(root, 'bert'), { layout: 'onnx', variants: { fp16: { fp16Output: true } } });
    writeCorruptTinyBert(join(root, 'bert-corrupt'));
    writeWrongDimsTinyBert(join(root, 'bert-wrong-dims'));
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(() => {
    logs.error = [];
    logs.warn = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => void logs.error.push(m));
    vi.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void logs.warn.push(m));
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(services.splice(0).map((s) => s.onApplicationShutdown()));
  });

  async function boot(env: Record<string, string>, probe: HardwareProbe = staticHardwareProbe(false), clock: () => number = Date.now) {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://sift@127.0.0.1/sift', EMBEDDINGS_MODEL_DIR: root, ...env }, 'worker');
    const svc = new EmbeddingsService(cfg, defaultModelLoaders, probe, clock);
    services.push(svc);
    expect(svc.status).toEqual({ state: 'loading' });
    svc.onApplicationBootstrap();
    await svc.settled;
    return svc;
  }

  describe('local links', () => {
    it('serves the bundled glove model with the default chain', async () => {
      const probe = countingProbe(true);
      const svc = await boot({}, probe);
      expect(svc.status).toMatchObject({ state: 'ready', model: GLOVE_ID, dims: 100, device: 'cpu', skipped: [] });
      expect((await svc.embed(['bitcoin']))[0]).toHaveLength(100);
      expect(probe.calls).toBe(0); // no @cuda link, no probing
    });

    it.skipIf(cudaProviderInstalled())('probe says GPU but the CUDA session fails: the CPU link serves', async () => {
      const svc = await boot({ EMBEDDINGS_CHAIN: 'bert:fp16@cuda,bert@cpu,glove-100d' }, staticHardwareProbe(true));
      const st = svc.status;
      expect(st).toMatchObject({ state: 'ready', device: 'cpu', dims: 32 });
      expect(st.state === 'ready' && st.model).toMatch(/^bert@[0-9a-f]{8}$/);
      expect(st.state === 'ready' && st.skipped).toEqual([{ model: 'bert:fp16@cuda', error: expect.stringMatching(/model_fp16\.onnx: could not create a CUDA session/) }]);
      // The CPU link ends the walk: glove is not loaded behind it.
      expect(svc.providers.map((p) => p.id)).toEqual([svc.active!.id]);
    });

    it('on a CPU-only host @cuda links are skipped without trying them, and the probe runs once', async () => {
      const probe = countingProbe(false);
      const svc = await boot({ EMBEDDINGS_CHAIN: 'bert:fp16@cuda,bert-wrong-dims@cuda,bert:fp16' }, probe);
      expect(probe.calls).toBe(1);
      expect(svc.status).toMatchObject({
        state: 'ready',
        device: 'cpu',
        skipped: [
          { model: 'bert:fp16@cuda', error: 'skipped: no usable GPU (static: cpu only)' },
          { model: 'bert-wrong-dims@cuda', error: 'skipped: no usable GPU (static: cpu only)' },
        ],
      });
    });

    it('a corrupt model file: logged, and the next link serves', async () => {
      const svc = await boot({ EMBEDDINGS_CHAIN: 'bert-corrupt,bert,glove-100d' });
      expect(svc.active?.id).toMatch(/^bert@/);
      expect(svc.status).toMatchObject({ skipped: [{ model: 'bert-corrupt', error: expect.stringMatching(/corrupt or incompatible file/) }] });
      expect(logs.warn).toContainEqual(expect.objectContaining({ msg: 'embedding model failed to load, trying the next', model: 'bert-corrupt' }));
    });

    it('a dimension mismatch: the next link serves', async () => {
      const svc = await boot({ EMBEDDINGS_CHAIN: 'bert-wrong-dims,glove-100d' });
      expect(svc.status).toMatchObject({
        state: 'ready',
        model: GLOVE_ID,
        skipped: [{ model: 'bert-wrong-dims', error: expect.stringMatching(/has 16 dims but config\.json hidden_size says 32/) }],
      });
    });

    it('every link fails: disabled, every failure listed, one loud log line, and embed() refuses', async () => {
      const svc = await boot({ EMBEDDINGS_CHAIN: 'missing,bert-corrupt,bert-wrong-dims,bert:int8,bert:fp16@cuda' });
      const st = svc.status;
      expect(st.state).toBe('disabled');
      expect(st.state === 'disabled' && st.reason).toBe('every model in EMBEDDINGS_CHAIN failed to load');
      expect(st.state === 'disabled' && st.failures).toEqual([
        { model: 'missing', error: expect.stringMatching(/missing: model folder not found/) },
        { model: 'bert-corrupt', error: expect.stringMatching(/corrupt/) },
        { model: 'bert-wrong-dims', error: expect.stringMatching(/16 dims/) },
        { model: 'bert:int8', error: expect.stringMatching(/no model_int8\.onnx/) },
        { model: 'bert:fp16@cuda', error: expect.stringMatching(/no usable GPU/) },
      ]);
      expect(svc.active).toBeUndefined();
      await expect(svc.embed(['x'])).rejects.toBeInstanceOf(EmbeddingsUnavailableError);
      expect(logs.error).toEqual([expect.objectContaining({ msg: 'EMBEDDINGS DISABLED: semantic search falls back to keyword search' })]);
      expect((await metrics.embeddingsDisabled.get()).values[0]?.value).toBe(1);
      // And the operator was warned up front that the chain had no bundled fallback.
      expect(logs.warn[0]).toMatchObject({ msg: expect.stringContaining('has no glove-100d link') });
    });

    it('EMBEDDINGS_ENABLED=false disables without loading anything', async () => {
      const probe = countingProbe(true);
      const svc = await boot({ EMBEDDINGS_ENABLED: 'false', EMBEDDINGS_CHAIN: 'bert@cuda' }, probe);
      expect(svc.status).toEqual({ state: 'disabled', reason: 'EMBEDDINGS_ENABLED=false', failures: [] });
      expect(probe.calls).toBe(0);
    });
  });

  describe('remote link (local OpenAI-compatible server)', () => {
    let remote: FakeRemote;
    beforeEach(async () => {
      remote = await startFakeRemote();
    });
    afterEach(async () => remote.close());

    const remoteEnv = (extra: Record<string, string> = {}) => ({
      EMBEDDINGS_CHAIN: 'remote,glove-100d',
      EMBEDDINGS_REMOTE_URL: remote.url,
      EMBEDDINGS_REMOTE_MODEL: 'test-embed',
      EMBEDDINGS_REMOTE_API_KEY: 'sk-test',
      EMBEDDINGS_REMOTE_BATCH_SIZE: '2',
      ...extra,
    });

    it('serves from the remote, with the glove link loaded behind it', async () => {
      const svc = await boot(remoteEnv());
      expect(svc.status).toMatchObject({
        state: 'ready',
        model: REMOTE_ID,
        dims: REMOTE_DIMS,
        device: 'remote',
        links: [
          { link: 'remote', model: REMOTE_ID, available: true },
          { link: 'glove-100d', model: GLOVE_ID, available: true },
        ],
      });
      const vectors = await svc.embed(['a', 'bb', 'ccc'], svc.active!.id);
      expect(vectors.map((v) => v.length)).toEqual([8, 8, 8]);
      vectors.forEach((v) => expect(Math.hypot(...v)).toBeCloseTo(1, 5));
      expect(vectors[0]).not.toEqual(vectors[1]); // in input order despite the server's reversed answer
      // Probe + 2 requests (batch size 2), to /v1/embeddings, with model and key.
      expect(remote.requests.map((r) => [r.path, r.body.input])).toEqual([
        ['/v1/embeddings', ['Sift embedding probe']],
        ['/v1/embeddings', ['a', 'bb']],
        ['/v1/embeddings', ['ccc']],
      ]);
      expect(remote.requests[1]!.body.model).toBe('test-embed');
      expect(remote.requests[1]!.headers.authorization).toBe('Bearer sk-test');
    });

    it('when the per-minute budget is spent the next link serves, until the minute ends', async () => {
      const clock = fakeClock();
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_REQUESTS_PER_MIN: '3' }), undefined, clock);
      await svc.embed(['one'], REMOTE_ID); // request 2 of 3 (the probe was 1)
      // A 2-request call does not fit the 1 request left, so it falls through whole to glove.
      const big = await svc.embedWithModel(['a', 'b', 'c']);
      expect(big.model.id).toBe(GLOVE_ID);
      expect(big.vectors[0]).toHaveLength(100);
      await svc.embedWithModel(['x']); // request 3 of 3
      expect(remote.requests).toHaveLength(3);

      expect(svc.active?.id).toBe(GLOVE_ID);
      expect(svc.status).toMatchObject({
        state: 'ready',
        model: GLOVE_ID,
        links: [{ model: REMOTE_ID, available: false, reason: 'request budget per minute spent (3/3)', retryAt: '2024-01-01T00:01:00.000Z' }, { model: GLOVE_ID }],
      });
      expect((await svc.embedWithModel(['y'])).model.id).toBe(GLOVE_ID);
      // Pinned to the remote, a call refuses rather than mixing models.
      await expect(svc.embed(['z'], REMOTE_ID)).rejects.toThrow(/no embedding link can serve now: .*request budget per minute spent/);
      expect((await chainMetrics.linkSkips.get()).values).toContainEqual(expect.objectContaining({ labels: { model: REMOTE_ID, reason: 'budget' } }));
      expect(remote.requests).toHaveLength(3); // none of that reached the server
      expect(logs.warn).toContainEqual(expect.objectContaining({ msg: 'embedding link switched', from: REMOTE_ID, to: GLOVE_ID }));

      clock.advance(50_000); // 00:01:00: a new minute
      expect(svc.active?.id).toBe(REMOTE_ID);
      expect((await svc.embedWithModel(['back'])).model.id).toBe(REMOTE_ID);
      expect(remote.requests).toHaveLength(4);
    });

    it('errors open the breaker (glove serves meanwhile); a half-open probe closes it again', async () => {
      const clock = fakeClock();
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_FAILURE_THRESHOLD: '2', EMBEDDINGS_REMOTE_OPEN_MS: '30000' }), undefined, clock);
      remote.mode = 'fail';
      // Each failing call still gets vectors, from the next link.
      for (let i = 0; i < 2; i++) expect((await svc.embedWithModel(['hello'])).model.id).toBe(GLOVE_ID);
      expect(remote.requests).toHaveLength(3);
      expect(svc.active?.id).toBe(GLOVE_ID);
      expect(svc.status).toMatchObject({ links: [{ available: false, reason: 'breaker open after 2 failure(s)' }, {}] });
      expect(logs.warn).toContainEqual(expect.objectContaining({ msg: 'remote embedding breaker open' }));

      await svc.embedWithModel(['while open']);
      expect(remote.requests).toHaveLength(3); // open: not even tried

      remote.mode = 'ok';
      clock.advance(30_000);
      expect(svc.active?.id).toBe(REMOTE_ID); // due for a probe
      expect((await svc.embedWithModel(['probe'])).model.id).toBe(REMOTE_ID);
      expect(logs.warn).toContainEqual(expect.objectContaining({ msg: 'remote embedding breaker closed', reason: 'probe succeeded' }));
      expect(svc.status).toMatchObject({ model: REMOTE_ID, links: [{ available: true }, {}] });
    });

    it('a failed half-open probe keeps the breaker open for another period', async () => {
      const clock = fakeClock();
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_FAILURE_THRESHOLD: '1', EMBEDDINGS_REMOTE_OPEN_MS: '10000' }), undefined, clock);
      remote.mode = 'fail';
      await svc.embedWithModel(['x']);
      clock.advance(10_000);
      expect((await svc.embedWithModel(['probe'])).model.id).toBe(GLOVE_ID);
      expect(remote.requests).toHaveLength(3);
      clock.advance(9_999);
      await svc.embedWithModel(['still open']);
      expect(remote.requests).toHaveLength(3);
    });

    it('a request that times out counts as a failure', async () => {
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_FAILURE_THRESHOLD: '1', EMBEDDINGS_REMOTE_TIMEOUT_MS: '100' }), undefined, fakeClock());
      remote.mode = 'hang';
      expect((await svc.embedWithModel(['x'])).model.id).toBe(GLOVE_ID);
      expect(logs.warn).toContainEqual(expect.objectContaining({ msg: 'embedding link failed for this call, trying the next', error: `${REMOTE_ID}: no answer within 100 ms` }));
      expect(svc.active?.id).toBe(GLOVE_ID);
    });

    it('slow successes (by the injected clock) open the breaker when EMBEDDINGS_REMOTE_SLOW_MS is set', async () => {
      const clock = fakeClock();
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_FAILURE_THRESHOLD: '2', EMBEDDINGS_REMOTE_SLOW_MS: '2000' }), undefined, clock);
      remote.beforeAnswer = () => clock.advance(2500);
      // Slow answers are still used; they only count against the link.
      expect((await svc.embedWithModel(['a'])).model.id).toBe(REMOTE_ID);
      expect((await svc.embedWithModel(['b'])).model.id).toBe(REMOTE_ID);
      expect(svc.status).toMatchObject({ model: GLOVE_ID, links: [{ available: false, reason: 'breaker open after 2 failure(s)' }, {}] });
    });

    it('a 429 with Retry-After opens the breaker for that long', async () => {
      const clock = fakeClock();
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_OPEN_MS: '1000' }), undefined, clock);
      remote.mode = 'rate-limited';
      expect((await svc.embedWithModel(['x'])).model.id).toBe(GLOVE_ID);
      clock.advance(119_999);
      expect(svc.active?.id).toBe(GLOVE_ID);
      clock.advance(1);
      expect(svc.active?.id).toBe(REMOTE_ID);
    });

    it('a daily token budget smaller than one call skips the remote for that call only', async () => {
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_TOKENS_PER_DAY: '100' }), undefined, fakeClock());
      const long = 'word '.repeat(200);
      expect((await svc.embedWithModel([long])).model.id).toBe(GLOVE_ID);
      expect((await svc.embedWithModel(['short'])).model.id).toBe(REMOTE_ID);
    });

    it('an unreachable endpoint at boot: without configured dims the link fails; with dims it is kept and joins later', async () => {
      remote.mode = 'fail';
      const dropped = await boot(remoteEnv());
      expect(dropped.status).toMatchObject({ model: GLOVE_ID, skipped: [{ model: 'remote', error: expect.stringMatching(/answered 503: model overloaded/) }] });
      expect(dropped.providers.map((p) => p.id)).toEqual([GLOVE_ID]);

      const clock = fakeClock();
      const kept = await boot(remoteEnv({ EMBEDDINGS_REMOTE_DIMS: String(REMOTE_DIMS), EMBEDDINGS_REMOTE_OPEN_MS: '5000' }), undefined, clock);
      expect(kept.status).toMatchObject({ model: GLOVE_ID, skipped: [], links: [{ model: REMOTE_ID, available: false }, { model: GLOVE_ID }] });
      remote.mode = 'ok';
      clock.advance(5000);
      expect((await kept.embedWithModel(['hi'])).model.id).toBe(REMOTE_ID);
    });

    it('a remote answering with other dims than configured fails to load', async () => {
      const svc = await boot(remoteEnv({ EMBEDDINGS_REMOTE_DIMS: '384' }));
      expect(svc.status).toMatchObject({ model: GLOVE_ID, skipped: [{ model: 'remote', error: expect.stringMatching(/vectors have 8 dims, expected 384/) }] });
    });

    it('a `remote` link without EMBEDDINGS_REMOTE_URL fails with a clear reason', async () => {
      const svc = await boot({ EMBEDDINGS_CHAIN: 'remote,glove-100d' });
      expect(svc.status).toMatchObject({ model: GLOVE_ID, skipped: [{ model: 'remote', error: 'the chain has a `remote` link but EMBEDDINGS_REMOTE_URL is not set' }] });
    });
  });
});

describe('EMBEDDINGS_CHAIN syntax', () => {
  const parse = (chain: string) => loadConfig({ DATABASE_URL: 'postgres://x@h/db', EMBEDDINGS_CHAIN: chain }, 'worker').EMBEDDINGS_CHAIN;
  const problem = (chain: string) => {
    try {
      parse(chain);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems.find((p) => p.name === 'EMBEDDINGS_CHAIN')?.message;
    }
    throw new Error('expected a ConfigError');
  };

  it('parses name[:variant][@device] and remote, in order', () => {
    expect(parse(' bge-small:fp16@cuda , bge-small:int8@CPU,remote,glove-100d ')).toEqual([
      { kind: 'local', raw: 'bge-small:fp16@cuda', name: 'bge-small', variant: 'fp16', device: 'cuda' },
      { kind: 'local', raw: 'bge-small:int8@CPU', name: 'bge-small', variant: 'int8', device: 'cpu' },
      { kind: 'remote', raw: 'remote' },
      { kind: 'local', raw: 'glove-100d', name: 'glove-100d', device: 'cpu' },
    ]);
  });

  it('defaults to the bundled glove model', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }, 'worker').EMBEDDINGS_CHAIN).toEqual([{ kind: 'local', raw: 'glove-100d', name: 'glove-100d', device: 'cpu' }]);
  });

  it('names each bad entry', () => {
    expect(problem('bge@gpu,glove-100d')).toMatch(/entry "bge@gpu": device "gpu" must be one of cpu, cuda/);
    expect(problem('../etc,glove-100d')).toMatch(/entry "\.\.\/etc": expected name\[:variant\]\[@device\]/);
    expect(problem('remote@cuda')).toMatch(/entry "remote@cuda": "remote" takes no :variant or @device/);
    expect(problem('glove-100d,glove-100d')).toMatch(/entry "glove-100d": listed twice/);
    expect(problem(' , ')).toMatch(/must name at least one model/);
  });

  it('reports every bad entry at once', () => {
    const msg = problem('a@x,b:@cpu');
    expect(msg).toContain('entry "a@x"');
    expect(msg).toContain('entry "b:@cpu"');
  });
});

describe('remote endpoint URL', () => {
  it('accepts a base URL, a /v1 base, or the full endpoint, keeping the query', () => {
    expect(embeddingsEndpoint('http://tei:8080')).toBe('http://tei:8080/v1/embeddings');
    expect(embeddingsEndpoint('http://tei:8080/')).toBe('http://tei:8080/v1/embeddings');
    expect(embeddingsEndpoint('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1/embeddings');
    expect(embeddingsEndpoint('http://ollama:11434/v1/embeddings')).toBe('http://ollama:11434/v1/embeddings');
    expect(embeddingsEndpoint('https://x.example/openai?api-version=1')).toBe('https://x.example/openai/v1/embeddings?api-version=1');
  });

  it('derives a vector-store-safe id from the model name', () => {
    expect(remoteModelId('BAAI/bge-small-en-v1.5')).toBe('remote-baai-bge-small-en-v1.5');
    expect(remoteModelId(undefined)).toBe('remote-default');
  });

  it('normalises EMBEDDINGS_REMOTE_URL and keeps the API key secret', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://x@h/db', EMBEDDINGS_REMOTE_URL: 'http://tei:8080//', EMBEDDINGS_REMOTE_API_KEY: 'sk-1' }, 'api');
    expect(cfg.EMBEDDINGS_REMOTE_URL).toBe('http://tei:8080');
    expect(cfg.EMBEDDINGS_REMOTE_TOKENS_PER_DAY).toBe(1_000_000);
  });
});
