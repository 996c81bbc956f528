import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approximateTokenCount } from '../ai/tokenizer/token-counter.js';
import type { MaterialIndex } from '../domains/materials/ports.js';
import type { ExtractedPage } from '../ingest/extracted-document.js';
import { MaterialChunkIndex } from './material-chunk-index.js';
import { SearchIndex } from './search-index.js';
import { insertMaterial, openLibraryDatabase } from './test-support/library.js';

let storage: ReturnType<typeof openLibraryDatabase>;
let changed: string[];
let materialIndex: MaterialIndex;

beforeEach(() => {
  storage = openLibraryDatabase();
  changed = [];
  materialIndex = new MaterialChunkIndex({
    index: new SearchIndex(storage.sqlite),
    countTokens: () => approximateTokenCount,
    onChunksChanged: (id) => changed.push(id),
  });
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

const chunkRows = (materialId: string) =>
  storage.sqlite
    .prepare(
      'SELECT page_start AS pageStart, page_end AS pageEnd, text FROM chunks WHERE material_id = ? ORDER BY ordinal',
    )
    .all(materialId);

describe('MaterialChunkIndex (the materials domain’s MaterialIndex)', () => {
  it('chunks pages into the index inside the caller’s transaction, slides page by page', () => {
    const id = insertMaterial(storage.sqlite, { title: 'Slides', type: 'slides' });
    storage.sqlite.transaction(() => {
      materialIndex.replace(id, [slide(1, 'Trace trees', 'Say why.'), slide(2, 'Blacklisting')], 'slides');
    })();
    expect(chunkRows(id)).toEqual([
      { pageStart: 1, pageEnd: 1, text: 'Trace trees' },
      { pageStart: 1, pageEnd: 1, text: 'Say why.' },
      { pageStart: 2, pageEnd: 2, text: 'Blacklisting' },
    ]);
    materialIndex.afterImport?.(id);
    expect(changed).toEqual([id]);
  });

  it('leaves nothing behind when the caller’s transaction fails', () => {
    const id = insertMaterial(storage.sqlite, { title: 'Doc' });
    expect(() =>
      storage.sqlite.transaction(() => {
        materialIndex.replace(id, [slide(1, 'Some text')], 'document');
        throw new Error('the import failed after indexing');
      })(),
    ).toThrow('the import failed');
    expect(chunkRows(id)).toEqual([]);
  });

  it('removes a material from the index', () => {
    const id = insertMaterial(storage.sqlite, { title: 'Doc' });
    materialIndex.replace(id, [slide(1, 'Some text')], 'document');
    materialIndex.remove(id);
    expect(chunkRows(id)).toEqual([]);
  });
});
