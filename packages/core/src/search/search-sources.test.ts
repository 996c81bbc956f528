import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approximateTokenCount } from '../ai/tokenizer/token-counter.js';
import { Store } from '../db/store.js';
import type { ExtractedPage } from '../ingest/extracted-document.js';
import { chunkDocument } from './chunker.js';
import { HybridSearch } from './hybrid-search.js';
import { SearchIndex, type SourceDetails } from './search-index.js';
import { SearchSources, type SearchSource } from './search-sources.js';
import { openLibraryDatabase } from './test-support/library.js';

let storage: ReturnType<typeof openLibraryDatabase>;
let store: Store;
let sources: SearchSources;
let materials: SearchSource;
let indexed: number;

beforeEach(() => {
  storage = openLibraryDatabase();
  store = new Store(storage.sqlite, storage.db);
  const index = new SearchIndex(storage.sqlite);
  sources = new SearchSources({
    index,
    search: new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => null }),
    afterCommit: (effect) => store.afterCommit(effect),
  });
  materials = sources.register('material');
  indexed = 0;
  sources.onIndexed(() => (indexed += 1));
});
afterEach(() => storage.remove());

const slide = (number: number, text: string, notes?: string): ExtractedPage => ({
  number,
  text,
  blocks: [],
  words: [],
  source: 'document',
  ...(notes ? { notes } : {}),
});

const details = (fields: Partial<SourceDetails> = {}): SourceDetails => ({
  title: 'Slides',
  classId: null,
  materialType: 'slides',
  addedAt: '2026-03-01T10:00:00.000Z',
  ...fields,
});

const slides = (...pages: ExtractedPage[]) =>
  chunkDocument({ type: 'slides', pages }, { countTokens: approximateTokenCount });

const chunkRows = (id: string) =>
  storage.sqlite
    .prepare(
      `SELECT c.page_start AS pageStart, c.page_end AS pageEnd, c.text FROM chunks c
       JOIN search_sources s ON s.id = c.source_id WHERE s.ref_id = ? ORDER BY c.ordinal`,
    )
    .all(id);

const search = async (query: string) =>
  (await sources.search({ query, asYouType: false })).hits.map((hit) => ({ ref: hit.ref, title: hit.title }));

describe('search sources', () => {
  it('takes each kind of source once', () => {
    expect(() => sources.register('material')).toThrow(/registered twice/);
    expect(sources.register('note').kind).toBe('note');
  });

  it('indexes passages inside the caller’s transaction, and says so once it has committed', () => {
    const id = randomUUID();
    store.transaction(() => {
      materials.replace(id, details(), slides(slide(1, 'Trace trees', 'Say why.'), slide(2, 'Blacklisting')));
      expect(indexed).toBe(0);
    });
    expect(chunkRows(id)).toEqual([
      { pageStart: 1, pageEnd: 1, text: 'Trace trees' },
      { pageStart: 1, pageEnd: 1, text: 'Say why.' },
      { pageStart: 2, pageEnd: 2, text: 'Blacklisting' },
    ]);
    expect(indexed).toBe(1);
  });

  it('leaves nothing behind, and announces nothing, when the caller’s transaction fails', () => {
    const id = randomUUID();
    expect(() =>
      store.transaction(() => {
        materials.replace(id, details(), slides(slide(1, 'Some text')));
        throw new Error('the import failed after indexing');
      }),
    ).toThrow('the import failed');
    expect(chunkRows(id)).toEqual([]);
    expect(storage.sqlite.prepare('SELECT count(*) FROM search_sources').pluck().get()).toBe(0);
    expect(indexed).toBe(0);
  });

  it('shows a source renamed or moved under its new title and class, and forgets a removed one', async () => {
    const id = randomUUID();
    const classId = randomUUID();
    materials.replace(id, details(), slides(slide(1, 'Mitochondria make energy')));
    materials.describe(id, { title: 'Cells', classId });
    expect(await search('mitochondria')).toEqual([{ ref: { kind: 'material', id }, title: 'Cells' }]);
    expect((await sources.search({ query: 'mitochondria', classId })).hits).toHaveLength(1);
    materials.remove(id);
    expect(await search('mitochondria')).toEqual([]);
  });

  it('gives the text of a class’s passages of one kind, in index order', () => {
    const classId = randomUUID();
    materials.replace(randomUUID(), details({ classId }), slides(slide(1, 'First'), slide(2, 'Second')));
    materials.replace(randomUUID(), details(), slides(slide(1, 'Another class')));
    sources.register('lecture').replace(randomUUID(), details({ classId, materialType: null }), [
      {
        text: 'Spoken',
        heading: null,
        tokenCount: 1,
        pageStart: null,
        pageEnd: null,
        spans: [],
        timeStartMs: 0,
      },
    ]);
    expect(sources.texts({ kinds: ['material'], classId }, 10)).toEqual(['First', 'Second']);
    expect(sources.texts({ classId }, 2)).toEqual(['First', 'Second']);
  });
});
