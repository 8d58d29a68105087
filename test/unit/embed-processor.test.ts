import { describe, expect, it } from 'vitest';
import { EmbedProcessor } from '../../src/embeddings/embed.processor.js';

/** Fakes for what the processor does not test: the model and the vector tables. */
function setup(embed: (texts: string[]) => Promise<Float32Array[]>) {
  const events = new Map(Array.from({ length: 10 }, (_, i) => [String(i + 1), i === 3 || i === 7 ? `poison ${i}` : `fine ${i}`]));
  const written = new Map<string, Float32Array>();
  const parked: { eventId: string; error: string }[] = [];
  const store = {
    textsWithoutVector: async (_m: string, ids: string[]) => ids.filter((id) => !written.has(id)).map((id) => ({ id, text: events.get(id)! })),
    write: async (_m: string, rows: { eventId: string; vector: Float32Array }[]) => {
      let n = 0;
      for (const r of rows) if (!written.has(r.eventId)) (written.set(r.eventId, r.vector), n++);
      return n;
    },
    recordFailures: async (_m: string, f: { eventId: string; error: string }[]) => void parked.push(...f),
  };
  const embeddings = { active: { id: 'm@1', dims: 2, device: 'cpu' }, embed };
  const cfg = { EMBED_BATCH_SIZE: 4 };
  const p = new EmbedProcessor(cfg as never, {} as never, embeddings as never, store as never, store as never, {} as never);
  return { p, written, parked, ids: [...events.keys()] };
}

describe('EmbedProcessor batch failures', () => {
  it('parks only the items the model cannot embed and writes the rest', async () => {
    const { p, written, parked, ids } = setup(async (texts) => {
      if (texts.some((t) => t.startsWith('poison'))) throw new Error('tokenizer exploded');
      return texts.map(() => Float32Array.of(1, 0));
    });
    expect(await p.embedIds(ids)).toBe(8);
    expect([...written.keys()].sort((a, b) => +a - +b)).toEqual(['1', '2', '3', '5', '6', '7', '9', '10']);
    expect(parked).toEqual([
      { eventId: '4', error: 'tokenizer exploded' },
      { eventId: '8', error: 'tokenizer exploded' },
    ]);
    // Idempotent: a re-run writes nothing new.
    expect(await p.embedIds(ids.filter((id) => written.has(id)))).toBe(0);
  });

  it('rethrows (for a job retry) when the model fails on everything instead of parking good events', async () => {
    const { p, parked, written, ids } = setup(async () => {
      throw new Error('model crashed');
    });
    await expect(p.embedIds(ids)).rejects.toThrow('model crashed');
    expect(parked).toEqual([]);
    expect(written.size).toBe(0);
  });
});

describe('EmbedProcessor pipelining', () => {
  /** A store whose writes finish only when the test releases them, logging what happens when. */
  function gated(opts: { failWrite?: number; failEmbed?: number } = {}) {
    const log: string[] = [];
    const written = new Map<string, number>();
    const gates: (() => void)[] = [];
    let writes = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const store = {
      textsWithoutVector: async (_m: string, ids: string[]) => ids.filter((id) => !written.has(id)).map((id) => ({ id, text: `t${id}` })),
      write: async (_m: string, rows: { eventId: string }[]) => {
        const k = ++writes;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        log.push(`write ${k} start`);
        await new Promise<void>((r) => gates.push(r));
        inFlight--;
        log.push(`write ${k} end`);
        if (k === opts.failWrite) throw new Error('connection lost');
        let n = 0;
        for (const r of rows) if (!written.has(r.eventId)) (written.set(r.eventId, (written.get(r.eventId) ?? 0) + 1), n++);
        return n;
      },
      recordFailures: async () => undefined,
    };
    let embeds = 0;
    const embeddings = {
      active: { id: 'm@1', dims: 1, device: 'cpu' },
      embed: async (texts: string[]) => {
        const k = ++embeds;
        log.push(`embed ${k}`);
        if (k === opts.failEmbed) throw new Error('model crashed');
        return texts.map(() => Float32Array.of(1));
      },
    };
    const p = new EmbedProcessor({ EMBED_BATCH_SIZE: 2 } as never, {} as never, embeddings as never, store as never, store as never, {} as never);
    // Releases every write as it arrives, one macrotask later (so embeds get a chance to run first).
    const pump = setInterval(() => gates.splice(0).forEach((g) => g()), 1);
    return { p, log, written, stop: () => clearInterval(pump), maxInFlight: () => maxInFlight };
  }
  const ids = ['1', '2', '3', '4', '5', '6'];

  it('embeds the next chunk while the previous one is written, one write in flight at most', async () => {
    const g = gated();
    try {
      expect(await g.p.embedIds(ids)).toBe(6);
    } finally {
      g.stop();
    }
    expect(g.log.indexOf('embed 2')).toBeLessThan(g.log.indexOf('write 1 end'));
    expect(g.log.indexOf('embed 3')).toBeLessThan(g.log.indexOf('write 2 end'));
    expect(g.log.indexOf('write 1 end')).toBeLessThan(g.log.indexOf('write 2 start'));
    expect(g.maxInFlight()).toBe(1);
    expect([...g.written.keys()]).toEqual(ids);
  });

  it('a failed write fails the job after the in-flight embed settles; the retry writes the rest without duplicates', async () => {
    const g = gated({ failWrite: 2 });
    try {
      await expect(g.p.embedIds(ids)).rejects.toThrow('connection lost');
      expect([...g.written.keys()]).toEqual(['1', '2']);
      expect(g.log.at(-1)).toBe('write 2 end'); // nothing was started after the failure was seen
      expect(await g.p.embedIds(ids)).toBe(4);
    } finally {
      g.stop();
    }
    expect([...g.written.values()].every((n) => n === 1)).toBe(true);
    expect(g.written.size).toBe(6);
  });

  it('a model failing on a later chunk lets the earlier chunk\'s write land before rethrowing', async () => {
    // Embed 2 (chunk 2 as a whole) and then every single-item retry fail: the model is down.
    const g = gated();
    let calls = 0;
    const embeddings = (g.p as unknown as { embeddings: { embed: (t: string[]) => Promise<Float32Array[]> } }).embeddings;
    const real = embeddings.embed;
    embeddings.embed = async (texts) => (++calls >= 2 ? Promise.reject(new Error('model down')) : real(texts));
    try {
      await expect(g.p.embedIds(ids)).rejects.toThrow('model down');
    } finally {
      g.stop();
    }
    expect(g.log).toContain('write 1 end');
    expect([...g.written.keys()]).toEqual(['1', '2']);
  });
});
