import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedTokenCounter } from '../ai/tokenizer/vocabulary-token-counter.js';
import type { ExtractedPage } from '../ingest/extracted-document.js';
import type { ChunkSpan } from '../contract/index.js';
import { chunkDocument, chunkPages, type ChunkDraft } from './chunker.js';
import { bgeTokenCounter } from './test-support/library.js';
import { tracemonkeyPages } from './test-support/tracemonkey.js';

let tokenizer: LoadedTokenCounter;
let countTokens: (text: string) => number;

beforeAll(async () => {
  const loaded = await bgeTokenCounter();
  if (!loaded)
    throw new Error('The bge vocabulary could not be extracted from node-llama-cpp (is git installed?)');
  tokenizer = loaded;
  countTokens = loaded.countTokens;
});
afterAll(() => tokenizer?.close());

const page = (number: number, text: string, extra: Partial<ExtractedPage> = {}): ExtractedPage => ({
  number,
  text,
  blocks: [],
  words: [],
  source: 'text-layer',
  ...extra,
});

function spanText(pages: ExtractedPage[], span: ChunkSpan): string {
  const source = pages.find((p) => p.number === span.page)!;
  return (span.field === 'notes' ? source.notes! : source.text).slice(span.start, span.end);
}

/** A chunk's text is exactly what its spans point at, each span starting and ending on a word. */
function expectSpansExact(pages: ExtractedPage[], chunk: ChunkDraft): void {
  expect(chunk.spans.map((span) => spanText(pages, span)).join('\n')).toBe(chunk.text);
  for (const span of chunk.spans) {
    const p = pages.find((candidate) => candidate.number === span.page)!;
    const source = span.field === 'notes' ? p.notes! : p.text;
    expect(span.start === 0 || /\s/.test(source[span.start - 1]!)).toBe(true);
    expect(span.end === source.length || /\s/.test(source[span.end]!)).toBe(true);
  }
}

const sentence = (i: number) =>
  `Sentence ${i} explains how the tracing compiler records a hot loop and specialises its types.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');

describe('chunkPages', () => {
  it('keeps every chunk within the budget in real tokens and fills chunks toward it', () => {
    const pages = [page(1, paragraph(0, 60)), page(2, paragraph(60, 60))];
    const chunks = chunkPages(pages, { countTokens, maxTokens: 128 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(128);
      expectSpansExact(pages, chunk);
    }
    const filled = chunks.slice(0, -1).filter((chunk) => chunk.tokenCount >= 128 * 0.6);
    expect(filled.length).toBe(chunks.length - 1);
  });

  it('repeats about 15% of a chunk in the next when it cuts inside a paragraph', () => {
    const pages = [page(1, paragraph(0, 40))];
    const chunks = chunkPages(pages, { countTokens, maxTokens: 200 });
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!.spans.at(-1)!;
      const next = chunks[i]!.spans[0]!;
      expect(next.start).toBeLessThan(previous.end); // overlap
      const repeated = countTokens(pages[0]!.text.slice(next.start, previous.end));
      expect(repeated).toBeGreaterThan(0);
      expect(repeated).toBeLessThanOrEqual(200 * 0.15);
    }
  });

  it('starts a chunk at each heading, names the chunks under it, and does not overlap across it', () => {
    const text = `1. Introduction\n${paragraph(0, 4)}\n\n2. Method\n${paragraph(10, 4)}\n2.1 Details\n${paragraph(20, 3)}`;
    const heading = (title: string) => ({
      kind: 'heading' as const,
      level: title.split('.').length - 1 || 1,
    });
    const blocks = ['1. Introduction', '2. Method', '2.1 Details'].map((title) => {
      const start = text.indexOf(title);
      return { ...heading(title), start, end: start + title.length };
    });
    const pages = [page(1, text, { blocks })];
    const chunks = chunkPages(pages, { countTokens, maxTokens: 256 });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(['1. Introduction', '2. Method', '2.1 Details']);
    expect(chunks[1]!.text.startsWith('2. Method')).toBe(true);
    expect(chunks[1]!.text).not.toContain('Sentence 3 ');
    expect(chunks[2]!.text.startsWith('2.1 Details')).toBe(true);
    for (const chunk of chunks) expectSpansExact(pages, chunk);
  });

  it('prefers to cut at a paragraph boundary over the middle of a paragraph', () => {
    const text = `${paragraph(0, 8)}\n\n${paragraph(8, 8)}`;
    const pages = [page(1, text)];
    const chunks = chunkPages(pages, { countTokens, maxTokens: 256 });
    const secondParagraph = text.indexOf('Sentence 8 ');
    expect(chunks.some((chunk) => chunk.spans[0]!.start === secondParagraph)).toBe(true);
  });

  it('lets a PDF passage run across pages with one span per page', () => {
    const pages = [page(1, paragraph(0, 3)), page(2, paragraph(3, 3))];
    const [chunk] = chunkPages(pages, { countTokens, maxTokens: 256 });
    expect(chunk).toMatchObject({ pageStart: 1, pageEnd: 2 });
    expect(chunk!.spans.map((span) => span.page)).toEqual([1, 2]);
    expectSpansExact(pages, chunk!);
  });

  it('keeps slides apart, titles their chunks, and makes speaker notes chunks of their slide', () => {
    const slide = (number: number, title: string, body: string, notes?: string) =>
      page(number, `${title}\n${body}`, {
        blocks: [
          { kind: 'heading', level: 1, start: 0, end: title.length },
          { kind: 'list', start: title.length + 1, end: title.length + 1 + body.length },
        ],
        ...(notes ? { notes } : {}),
      });
    const pages = [
      slide(1, 'Trace trees', '- loops are recorded\n- types are specialised', 'Mention the loop header.'),
      slide(2, 'Blacklisting', '- give up on traces that keep failing'),
    ];
    const chunks = chunkDocument({ type: 'slides', pages }, { countTokens });
    expect(chunks.map((chunk) => [chunk.pageStart, chunk.pageEnd, chunk.heading])).toEqual([
      [1, 1, 'Trace trees'],
      [1, 1, 'Trace trees'],
      [2, 2, 'Blacklisting'],
    ]);
    expect(chunks[1]).toMatchObject({
      text: 'Mention the loop header.',
      spans: [{ page: 1, field: 'notes' }],
    });
    for (const chunk of chunks) expectSpansExact(pages, chunk);
  });

  it('cuts a single "word" longer than a chunk by characters, the only cut inside a word', () => {
    const blob = 'QUJD'.repeat(400);
    const pages = [page(1, `Before the blob. ${blob} After the blob.`)];
    const chunks = chunkPages(pages, { countTokens, maxTokens: 64 });
    expect(chunks.every((chunk) => chunk.tokenCount <= 64)).toBe(true);
    expect(chunks.map((chunk) => chunk.text).join('')).toContain(blob.slice(0, 100));
  });

  it('makes no chunks from empty or blank pages', () => {
    expect(chunkPages([page(1, ''), page(2, ' \n\n ')], { countTokens })).toEqual([]);
  });
});

describe('chunking tracemonkey.pdf', () => {
  it('sizes, places and titles every chunk of a real paper', async () => {
    const pages = await tracemonkeyPages();
    const chunks = chunkPages(pages, { countTokens });
    expect(chunks.length).toBeGreaterThan(50);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(256);
      expectSpansExact(pages, chunk);
    }
    const blacklisting = chunks.find((chunk) =>
      chunk.text.includes('Our prediction algorithm is based on blacklisting'),
    );
    expect(blacklisting).toMatchObject({ heading: '3.3 Blacklisting', pageStart: 6 });
    const totalTokens = chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0);
    expect(totalTokens / chunks.length).toBeGreaterThan(256 * 0.6);
  });
});
