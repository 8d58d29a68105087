import { describe, it, expect } from 'vitest';
import { pgTextArray } from '../../src/events/events.repository.js';

/**
 * Reference parser for a one-dimensional Postgres array literal of double-quoted elements (the
 * only form pgTextArray emits), following the array input rules: inside quotes a backslash
 * escapes the next character.
 */
function parsePgQuotedArray(lit: string): string[] {
  expect(lit.startsWith('{') && lit.endsWith('}')).toBe(true);
  const body = lit.slice(1, -1);
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    expect(body[i]).toBe('"');
    i++;
    let s = '';
    while (body[i] !== '"') {
      if (i >= body.length) throw new Error(`unterminated element in ${lit}`);
      if (body[i] === '\\') i++;
      s += body[i];
      i++;
    }
    i++; // closing quote
    out.push(s);
    if (i < body.length) {
      expect(body[i]).toBe(',');
      i++;
    }
  }
  return out;
}

describe('pgTextArray', () => {
  it('renders an empty array as {}', () => {
    expect(pgTextArray([])).toBe('{}');
  });

  it('quotes every element', () => {
    expect(pgTextArray(['$btc', '#ai', 'example.com'])).toBe('{"$btc","#ai","example.com"}');
  });

  it('escapes double quotes', () => {
    expect(pgTextArray(['say "hi"'])).toBe('{"say \\"hi\\""}');
  });

  it('escapes backslashes', () => {
    expect(pgTextArray(['a\\b'])).toBe('{"a\\\\b"}');
  });

  it('escapes a backslash before a quote without letting it swallow the quote', () => {
    // `\"` in the input must become `\\\"`: an escaped backslash, then an escaped quote.
    expect(pgTextArray(['\\"'])).toBe('{"\\\\\\""}');
    expect(pgTextArray(['end\\'])).toBe('{"end\\\\"}');
  });

  it('leaves commas, braces, spaces, NULL and unicode as plain characters inside quotes', () => {
    expect(pgTextArray(['a,b', '{x}', ' padded ', 'NULL', '#日本語', ''])).toBe(
      '{"a,b","{x}"," padded ","NULL","#日本語",""}',
    );
  });

  it('round-trips tricky elements through the Postgres array input rules', () => {
    const xs = ['plain', 'q"uote', 'back\\slash', '\\"', '""', '\\\\', 'a,b}', '{', '', 'NULL', 'x\\', '"'];
    expect(parsePgQuotedArray(pgTextArray(xs))).toEqual(xs);
  });
});
