import { describe, expect, it } from 'vitest';
import { markedWords, markSpans, rangesOnPage, type PageWord } from './highlight';
import type { PageSpan } from './viewer-link';

/** A hit's spans on one page, marked as the viewer marks them. */
const wordsInSpans = (words: PageWord[], spans: PageSpan[], page: number) =>
  markedWords(
    words,
    rangesOnPage(spans, page).map((span) => ({ ...span, tone: 'passage' as const })),
  ).map((marked) => marked.word);
import { decodeSpans, encodeSpans, viewerPath } from './viewer-link';

const word = (text: string, start: number): PageWord => ({ text, start, box: [0.1, 0.1, 0.05, 0.02] });

describe('words to highlight for a hit', () => {
  //                 0         1         2         3
  //                 0123456789012345678901234567890123456
  const text = 'Entropy always increases in a system';
  const words = [
    word('Entropy', 0),
    word('always', 8),
    word('increases', 15),
    word('in', 25),
    word('a', 28),
    word('system', 30),
  ];

  it('picks the words whose first character lies inside a span of this page', () => {
    expect(text.slice(8, 24)).toBe('always increases');
    const picked = wordsInSpans(words, [{ page: 6, start: 8, end: 24 }], 6);
    expect(picked.map((w) => w.text)).toEqual(['always', 'increases']);
  });

  it('includes a word the span starts inside of, excludes one starting at the span’s end', () => {
    expect(wordsInSpans(words, [{ page: 1, start: 0, end: 8 }], 1).map((w) => w.text)).toEqual(['Entropy']);
    expect(wordsInSpans(words, [{ page: 1, start: 25, end: 29 }], 1).map((w) => w.text)).toEqual(['in', 'a']);
  });

  it('ignores spans of other pages and combines several spans on the page', () => {
    const spans = [
      { page: 5, start: 0, end: 100 },
      { page: 6, start: 0, end: 7 },
      { page: 6, start: 30, end: 36 },
    ];
    expect(wordsInSpans(words, spans, 6).map((w) => w.text)).toEqual(['Entropy', 'system']);
    expect(wordsInSpans(words, spans, 7)).toEqual([]);
  });
});

describe('marking spans in a page’s text', () => {
  it('splits the text into plain and marked runs, merging overlaps and clipping to the text', () => {
    expect(
      markSpans('abcdefghij', [
        { start: 6, end: 8 },
        { start: 2, end: 4 },
        { start: 3, end: 5 },
        { start: 9, end: 50 },
      ]),
    ).toEqual([
      { text: 'ab', marked: false },
      { text: 'cde', marked: true, tone: 'passage' },
      { text: 'f', marked: false },
      { text: 'gh', marked: true, tone: 'passage' },
      { text: 'i', marked: false },
      { text: 'j', marked: true, tone: 'passage' },
    ]);
    expect(markSpans('plain', [])).toEqual([{ text: 'plain', marked: false }]);
  });

  it('shows the stronger mark where a find match and a passage overlap', () => {
    expect(
      markSpans('abcdefghij', [
        { start: 0, end: 6, tone: 'passage' },
        { start: 4, end: 8, tone: 'current' },
        { start: 9, end: 10, tone: 'match' },
      ]),
    ).toEqual([
      { text: 'abcd', marked: true, tone: 'passage' },
      { text: 'efgh', marked: true, tone: 'current' },
      { text: 'i', marked: false },
      { text: 'j', marked: true, tone: 'match' },
    ]);
  });
});

describe('words to mark over a drawn page', () => {
  const words = [word('Entropy', 0), word('always', 8), word('increases', 15)];

  it('marks every word a find match touches, part of a word too, with the strongest mark', () => {
    const marked = markedWords(words, [
      { start: 2, end: 4, tone: 'match' },
      { start: 8, end: 24, tone: 'passage' },
      { start: 10, end: 12, tone: 'current' },
    ]);
    expect(marked.map(({ word: w, tone }) => [w.text, tone])).toEqual([
      ['Entropy', 'match'],
      ['always', 'current'],
      ['increases', 'passage'],
    ]);
    expect(markedWords(words, [])).toEqual([]);
  });
});

describe('viewer links', () => {
  it('carry the page and the spans, and read back what they wrote', () => {
    const spans = [
      { page: 6, start: 120, end: 240 },
      { page: 7, start: 0, end: 35 },
    ];
    expect(viewerPath('m1', { page: 6, spans })).toBe('/library/m1?page=6&hl=6%3A120-240%2C7%3A0-35');
    expect(decodeSpans(encodeSpans(spans))).toEqual(spans);
    expect(viewerPath('m1')).toBe('/library/m1');
  });

  it('open a hit in speaker notes at its slide without marking the slide text at the notes offsets', () => {
    const spans = [{ page: 3, start: 10, end: 80, field: 'notes' as const }];
    expect(viewerPath('m1', { spans })).toBe('/library/m1?page=3');
  });

  it('skip malformed spans instead of failing', () => {
    expect(decodeSpans('6:1-5,x,7:9-3,0:1-2, 8:0-4')).toEqual([
      { page: 6, start: 1, end: 5 },
      { page: 8, start: 0, end: 4 },
    ]);
  });
});
