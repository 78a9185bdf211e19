import { describe, expect, it } from 'vitest';

import { levenshteinDistance, suggestClosest } from './levenshtein.js';

/** Textbook recursive definition, memoised: an independent reference for the iterative version. */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const distance = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const cost = a[i - 1] === b[j - 1] ? 0 : 1;
    const result = Math.min(distance(i - 1, j) + 1, distance(i, j - 1) + 1, distance(i - 1, j - 1) + cost);
    memo.set(key, result);
    return result;
  };
  return distance(a.length, b.length);
}

/** Small deterministic generator (mulberry32) so failures reproduce. */
function randomWords(seed: number, count: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 9);
    return Array.from({ length }, () => 'abcde'[Math.floor(next() * 5)]).join('');
  });
}

describe('levenshteinDistance', () => {
  it('matches known distances', () => {
    expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
    expect(levenshteinDistance('flaw', 'lawn')).toBe(2);
    expect(levenshteinDistance('', 'abc')).toBe(3);
    expect(levenshteinDistance('abc', '')).toBe(3);
    expect(levenshteinDistance('same', 'same')).toBe(0);
    expect(levenshteinDistance('pagniation', 'pagination')).toBe(2);
  });

  it('agrees with the recursive definition', () => {
    const words = randomWords(42, 60);
    for (const a of words) {
      for (const b of words.slice(0, 20)) {
        expect(levenshteinDistance(a, b), `${a} vs ${b}`).toBe(referenceDistance(a, b));
      }
    }
  });

  it('is symmetric', () => {
    const words = randomWords(7, 30);
    for (const a of words) {
      for (const b of words) expect(levenshteinDistance(a, b)).toBe(levenshteinDistance(b, a));
    }
  });
});

describe('suggestClosest', () => {
  it('suggests a transposed name', () => {
    expect(suggestClosest('pagniation', ['recordSelector', 'pagination', 'totalPath'])).toBe('pagination');
  });

  it('suggests a case-only difference', () => {
    expect(suggestClosest('PortalId', ['portalId', 'shop'])).toBe('portalId');
  });

  it('rejects distant names', () => {
    expect(suggestClosest('xyz', ['pagination', 'method'])).toBeUndefined();
    expect(suggestClosest('ab', ['cd'])).toBeUndefined();
  });

  it('prefers the nearest candidate', () => {
    expect(suggestClosest('metod', ['methods', 'method'])).toBe('method');
  });

  it('never suggests the word itself', () => {
    expect(suggestClosest('path', ['path'])).toBeUndefined();
  });
});
