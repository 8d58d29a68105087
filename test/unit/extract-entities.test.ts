import { describe, it, expect } from 'vitest';
import { entityKind, extractEntities, MAX_ENTITIES, MAX_SCAN_CHARS } from '../../src/relay/extract-entities.js';
import { mulberry32 } from '../../libs/common/random.js';

const KIND_SHAPES: Record<string, RegExp> = {
  cashtag: /^\$[a-z][a-z0-9]{0,9}$/,
  hashtag: /^#[\p{L}\p{M}\p{N}_]{1,64}$/u,
  mention: /^@[a-z0-9_][a-z0-9_.-]*$/,
  domain: /^[^\s/:@?#]+\.[^\s/:@?#]+$/,
};


describe('extractEntities: cashtags', () => {
  it('extracts and lowercases cashtags', () => {
    expect(extractEntities('Buying $BTC and $eth, selling $Sol.')).toEqual(['$btc', '$eth', '$sol']);
  });

  it('does not treat amounts as cashtags', () => {
    expect(extractEntities('paid $100 for it, now worth $1k, or US$5 or $ 20 or $1,200.50')).toEqual([]);
  });

  it('allows digits after the first letter, up to 10 characters', () => {
    expect(extractEntities('$eth2 $a1 $abcdefghij')).toEqual(['$eth2', '$a1', '$abcdefghij']);
    expect(extractEntities('$abcdefghijk is too long')).toEqual([]);
  });

  it('handles surrounding punctuation', () => {
    expect(extractEntities('($nvda) $tsla! $aapl? "$msft" $btc/usd $pepe\'s $wif…')).toEqual([
      '$nvda', '$tsla', '$aapl', '$msft', '$btc', '$pepe', '$wif',
    ]);
  });

  it('needs a boundary before the $', () => {
    expect(extractEntities('A$AP and abc$def and $$btc')).toEqual([]);
  });

  it('does not accept underscores or letters straight after the ticker', () => {
    expect(extractEntities('$btc_usd $éth')).toEqual([]);
  });
});

describe('extractEntities: hashtags', () => {
  it('extracts and lowercases hashtags', () => {
    expect(extractEntities('Loving #AI and #Rust and #TypeScript')).toEqual(['#ai', '#rust', '#typescript']);
  });

  it('strips trailing punctuation', () => {
    expect(extractEntities('#ai. #llm, #rust! #go? (#zig) #ml: #db; #ts… #js\'s')).toEqual([
      '#ai', '#llm', '#rust', '#go', '#zig', '#ml', '#db', '#ts', '#js',
    ]);
  });

  it('rejects all-digit and underscore-only tags but accepts mixed ones', () => {
    expect(extractEntities('#123 #2024 #_ #__ #1st #2024goals #a_b #_x')).toEqual(['#1st', '#2024goals', '#a_b', '#_x']);
  });

  it('supports unicode letters and normalises with NFKC', () => {
    expect(extractEntities('#Café #東京 #Ünïcödé')).toEqual(['#café', '#東京', '#ünïcödé']);
    // decomposed é (e + U+0301) and fullwidth letters / fullwidth ＃ normalise to the same tags
    expect(extractEntities('#cafe\u0301 #café #ＡＩ ＃ai #ai')).toEqual(['#café', '#ai']);
  });

  it('needs a boundary before the # and ignores HTML entities and keycaps', () => {
    expect(extractEntities('x#y C#sharp &#39; &#x27; ##double #\uFE0F\u20E3')).toEqual([]);
  });

  it('takes only the first of glued tags', () => {
    expect(extractEntities('#ai#ml')).toEqual(['#ai']);
  });

  it('caps hashtag length at 64', () => {
    const ok = 'a'.repeat(64);
    expect(extractEntities(`#${ok} #${'b'.repeat(65)}`)).toEqual([`#${ok}`]);
  });

  it('stops at emoji and whitespace', () => {
    expect(extractEntities('#ai🚀 #ml\n#db\t#ts')).toEqual(['#ai', '#ml', '#db', '#ts']);
  });
});

describe('extractEntities: mentions', () => {
  it('extracts domain handles and plain handles, lowercased', () => {
    expect(extractEntities('hi @Alice.BSKY.social and @Bob')).toEqual(['@alice.bsky.social', '@bob']);
  });

  it('strips trailing punctuation', () => {
    expect(extractEntities('@alice.bsky.social. @bob, @carol! (@dan) @erin- @frank.bsky.social\'s @gus:')).toEqual([
      '@alice.bsky.social', '@bob', '@carol', '@dan', '@erin', '@frank.bsky.social', '@gus',
    ]);
  });

  it('does not treat emails as mentions', () => {
    expect(extractEntities('mail a@b.com or first.last@example.co.uk or x+y@z.org')).toEqual([]);
  });

  it('accepts the .@handle idiom', () => {
    expect(extractEntities('.@carol you are wrong')).toEqual(['@carol']);
  });

  it('rejects things that are not handles', () => {
    expect(extractEntities('meet @10am, buy @100, @ alone, @-x, @.x, @1.5, @a..b, @@bob')).toEqual([]);
  });

  it('keeps underscores and digits in handles', () => {
    expect(extractEntities('@bob_ @x_y @dev42 @0xfoo.bsky.social')).toEqual(['@bob_', '@x_y', '@dev42', '@0xfoo.bsky.social']);
  });

  it('accepts the fullwidth ＠', () => {
    expect(extractEntities('＠Carol')).toEqual(['@carol']);
  });
});

describe('extractEntities: domains', () => {
  it('extracts the host of http(s) links: lowercase, no www., no port, no path or query', () => {
    expect(extractEntities('see https://www.Example.com:8080/path?x=1#frag')).toEqual(['example.com']);
    expect(extractEntities('http://news.ycombinator.com/item?id=1')).toEqual(['news.ycombinator.com']);
    expect(extractEntities('HTTPS://GITHUB.COM/Foo/Bar')).toEqual(['github.com']);
    expect(extractEntities('https://www.example.com?x=1')).toEqual(['example.com']);
  });

  it('extracts bare www. links', () => {
    expect(extractEntities('go to www.NYTimes.com/2025/01/01/x.html now')).toEqual(['nytimes.com']);
    expect(extractEntities('visit:www.bbc.co.uk')).toEqual(['bbc.co.uk']);
  });

  it('does not extract bare domains without www. or a scheme', () => {
    expect(extractEntities('github.com is down, email me at x@example.com')).toEqual([]);
  });

  it('strips userinfo and trailing punctuation', () => {
    expect(extractEntities('http://user:pw@Sub.Foo.org/x and (https://nytimes.com) and https://youtu.be/abc.')).toEqual([
      'sub.foo.org', 'nytimes.com', 'youtu.be',
    ]);
    expect(extractEntities('https://example.com, https://example.org. https://example.net…')).toEqual([
      'example.com', 'example.org', 'example.net',
    ]);
    expect(extractEntities('https://WWW.Example.COM./')).toEqual(['example.com']);
  });

  it('ignores tags and mentions inside URLs', () => {
    expect(extractEntities('https://medium.com/@alice/post#section https://example.com/a?u=@bob&t=#ai&c=$btc')).toEqual([
      'medium.com', 'example.com',
    ]);
  });

  it('skips dotless hosts and IP literals', () => {
    expect(extractEntities('http://localhost:3000 https://192.168.0.1/x https://[::1]:80/ https:// http://')).toEqual([]);
  });

  it('keeps www when it is the whole name and supports unicode hosts', () => {
    expect(extractEntities('https://www.com https://Bücher.de/x')).toEqual(['www.com', 'bücher.de']);
  });

  it('only counts a www. link once', () => {
    expect(extractEntities('https://www.example.com www.example.com')).toEqual(['example.com']);
  });
});

describe('extractEntities: ordering, de-duplication, limits', () => {
  it('returns entities in order of first appearance, de-duplicated after normalisation', () => {
    const text = '@Bob $BTC is up! #AI https://www.example.com/x $btc #ai @bob www.Example.com #Rust';
    expect(extractEntities(text)).toEqual(['@bob', '$btc', '#ai', 'example.com', '#rust']);
  });

  it('handles a realistic post', () => {
    const text =
      'gm. $BTC just broke $100,000 🚀 h/t @alice.bsky.social — thread: https://www.coingecko.com/en/coins/bitcoin?x=1 #crypto #Bitcoin.';
    expect(extractEntities(text)).toEqual(['$btc', '@alice.bsky.social', 'coingecko.com', '#crypto', '#bitcoin']);
  });

  it(`caps at ${MAX_ENTITIES} entities`, () => {
    const text = Array.from({ length: 50 }, (_, i) => `#tag${i}`).join(' ');
    const out = extractEntities(text);
    expect(out).toHaveLength(MAX_ENTITIES);
    expect(out[0]).toBe('#tag0');
    expect(out[MAX_ENTITIES - 1]).toBe(`#tag${MAX_ENTITIES - 1}`);
  });

  it(`scans only the first ${MAX_SCAN_CHARS} characters`, () => {
    const filler = 'x '.repeat(MAX_SCAN_CHARS);
    expect(extractEntities(`#early ${filler} #late`)).toEqual(['#early']);
  });

  it('returns an empty array for text without entities', () => {
    expect(extractEntities('just a normal post about nothing in particular.')).toEqual([]);
    expect(extractEntities('')).toEqual([]);
    expect(extractEntities('#')).toEqual([]);
    expect(extractEntities('$')).toEqual([]);
  });
});

describe('extractEntities: garbage input', () => {
  it('never throws on non-strings', () => {
    for (const bad of [null, undefined, 42, {}, [], Symbol('x'), () => 1]) {
      expect(extractEntities(bad as unknown as string)).toEqual([]);
    }
  });

  it('survives lone surrogates', () => {
    expect(extractEntities('\ud800 #a\udc00b @x\ud800 $a\udfff \udfff#ok')).toEqual(['#a', '@x', '$a', '#ok']);
    expect(() => extractEntities('#\ud800\ud800\udc00\udc00')).not.toThrow();
  });

  it('is fast on huge and pathological inputs', () => {
    const inputs = [
      'a'.repeat(5_000_000),
      '#'.repeat(1_000_000),
      '@'.repeat(1_000_000),
      '$a'.repeat(500_000),
      'https://'.repeat(200_000),
      'https://a' + '.a'.repeat(500_000),
      '@a' + '.a'.repeat(500_000),
      '#' + 'a'.repeat(1_000_000),
      'www.'.repeat(300_000),
      'https://x.com/' + '@'.repeat(1_000_000),
    ];
    const start = performance.now();
    for (const input of inputs) expect(Array.isArray(extractEntities(input))).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('only ever returns well-formed entities on random input (fuzz)', () => {
    const rand = mulberry32(1234);
    const alphabet = ['#', '$', '@', '.', '-', '_', '/', ':', ' ', 'a', 'Z', '0', '9', 'é', '東', '🚀', '\ud800', '\udc00', 'https://', 'www.', '＃', '＠', '\n', '&', '?', '='];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = Math.floor(rand() * 60);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      const out = extractEntities(s);
      expect(out.length).toBeLessThanOrEqual(MAX_ENTITIES);
      expect(new Set(out).size).toBe(out.length);
      for (const e of out) expect(e, `from ${JSON.stringify(s)}`).toMatch(KIND_SHAPES[entityKind(e)]!);
    }
  });
});

describe('entityKind', () => {
  it('classifies by sigil', () => {
    expect(entityKind('$btc')).toBe('cashtag');
    expect(entityKind('#ai')).toBe('hashtag');
    expect(entityKind('@alice.bsky.social')).toBe('mention');
    expect(entityKind('example.com')).toBe('domain');
  });

  it('agrees with extractEntities output', () => {
    const out = extractEntities('$eth #rust @bob https://github.com/x');
    expect(out.map(entityKind)).toEqual(['cashtag', 'hashtag', 'mention', 'domain']);
  });
});
