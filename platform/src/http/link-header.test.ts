import { describe, expect, it } from 'vitest';
import { findLinkUrl, parseLinkHeader } from './link-header.js';

describe('parseLinkHeader', () => {
  it('parses several links', () => {
    const links = parseLinkHeader(
      '<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last"',
    );
    expect(links).toHaveLength(2);
    expect(links[0]).toEqual({ target: 'https://api.example.com/items?page=2', rel: ['next'], params: { rel: 'next' } });
    expect(links[1]?.rel).toEqual(['last']);
  });

  it('keeps commas inside brackets and quotes', () => {
    const links = parseLinkHeader('<https://x.test/a?ids=1,2,3>; rel="next"; title="a, b; c", <https://x.test/z>; rel=prev');
    expect(links.map((link) => link.target)).toEqual(['https://x.test/a?ids=1,2,3', 'https://x.test/z']);
    expect(links[0]?.params.title).toBe('a, b; c');
    expect(links[1]?.rel).toEqual(['prev']);
  });

  it('splits several relation types', () => {
    const [link] = parseLinkHeader('</p/3>; REL="Next  Last"');
    expect(link?.rel).toEqual(['next', 'last']);
  });

  it('keeps the first rel parameter', () => {
    const [link] = parseLinkHeader('</a>; rel=prev; rel=next');
    expect(link?.rel).toEqual(['prev']);
  });

  it('undoes quoted-string escapes', () => {
    const [link] = parseLinkHeader('</a>; rel=next; title="say \\"hi\\""');
    expect(link?.params.title).toBe('say "hi"');
  });

  it('skips malformed links', () => {
    const links = parseLinkHeader('garbage; rel=next, </ok>; rel=next, <unclosed; rel=next');
    expect(links.map((link) => link.target)).toEqual(['/ok']);
  });

  it('returns nothing for an empty header', () => {
    expect(parseLinkHeader('')).toEqual([]);
  });
});

describe('findLinkUrl', () => {
  const header = '<https://shop.test/orders?page_info=abc>; rel="previous", </orders?page_info=def&limit=50>; rel="next"';

  it('resolves a relative next link', () => {
    expect(findLinkUrl(header, 'next', 'https://shop.test/admin/orders?limit=50')).toBe(
      'https://shop.test/orders?page_info=def&limit=50',
    );
  });

  it('matches relation case-insensitively', () => {
    expect(findLinkUrl(header, 'PREVIOUS', 'https://shop.test/')).toBe('https://shop.test/orders?page_info=abc');
  });

  it('resolves a path-relative link', () => {
    expect(findLinkUrl('<page3>; rel=next', 'next', 'https://x.test/v1/items/page2')).toBe('https://x.test/v1/items/page3');
  });

  it('returns undefined without a match', () => {
    expect(findLinkUrl(header, 'last', 'https://shop.test/')).toBeUndefined();
    expect(findLinkUrl(undefined, 'next', 'https://shop.test/')).toBeUndefined();
  });
});
