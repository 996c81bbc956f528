import { describe, expect, it } from 'vitest';
import { findInPages } from './find-in-pages.js';

const pages = [
  { pageNumber: 1, text: 'Trace trees grow.\nA typed trace\ntree is anchored.' },
  { pageNumber: 2, text: 'No match here (a+b)?' },
  { pageNumber: 3, text: 'TRACE again' },
];

describe('findInPages', () => {
  it('finds every occurrence in page order, ignoring case and line breaks inside the phrase', () => {
    expect(findInPages(pages, 'trace').matches).toEqual([
      { page: 1, start: 0, end: 5 },
      { page: 1, start: 26, end: 31 },
      { page: 3, start: 0, end: 5 },
    ]);
    const phrase = findInPages(pages, '  trace   tree ').matches;
    expect(phrase).toEqual([
      { page: 1, start: 0, end: 10 },
      { page: 1, start: 26, end: 36 },
    ]);
    expect(pages[0]!.text.slice(26, 36)).toBe('trace\ntree');
  });

  it('takes what was typed literally, not as a pattern', () => {
    expect(findInPages(pages, '(a+b)?').matches).toEqual([{ page: 2, start: 14, end: 20 }]);
    expect(findInPages(pages, '.*').matches).toEqual([]);
  });

  it('stops at the limit and says there were more', () => {
    expect(findInPages(pages, 'trace', 2)).toEqual({
      matches: [
        { page: 1, start: 0, end: 5 },
        { page: 1, start: 26, end: 31 },
      ],
      truncated: true,
    });
    expect(findInPages(pages, 'trace', 3).truncated).toBe(false);
  });
});
