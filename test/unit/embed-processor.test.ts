import { describe, expect, it } from 'vitest';
import { EmbedProcessor } from '../../src/embeddings/embed.processor.js';

/** Fakes for what the processor does not test: the model and the vector tables. */
function setup(embed: (texts: string[]) => Promise<Float32Array[]>) {
  const events = new Map(Array.from({ length: 10 }, (_, i) => [String(i + 1), i === 3 || i === 7 ? `poison ${i}` : `fine ${i}`]));
  const written = new Map<string, Float32Array>();
  const parked: { eventId: string; error: string }[] = [];
  const store = {
    missing: async (_m: string, ids: string[]) => ids.filter((id) => !written.has(id)).map((id) => ({ id, text: events.get(id)! })),
    write: async (_m: string, rows: { eventId: string; vector: Float32Array }[]) => {
      let n = 0;
      for (const r of rows) if (!written.has(r.eventId)) (written.set(r.eventId, r.vector), n++);
      return n;
    },
    recordFailures: async (_m: string, f: { eventId: string; error: string }[]) => void parked.push(...f),
  };
  const embeddings = { active: { id: 'm@1', dims: 2, device: 'cpu' }, embed };
  const cfg = { EMBED_BATCH_SIZE: 4 };
  const p = new EmbedProcessor(cfg as never, {} as never, embeddings as never, store as never, {} as never);
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
