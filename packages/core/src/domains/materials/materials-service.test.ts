/**
 * MaterialsService against the real database, index and file store, with the store's removal
 * held at a gate so two calls can be interleaved exactly as they would be by chance.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../db/store.js';
import { EventBus } from '../../kit/event-bus.js';
import { silentLogger } from '../../logging/logger.js';
import { HybridSearch } from '../../search/hybrid-search.js';
import { approximateTokenCount } from '../../ai/tokenizer/token-counter.js';
import { chunkDocument } from '../../search/chunker.js';
import { SearchIndex } from '../../search/search-index.js';
import { SearchSources } from '../../search/search-sources.js';
import { openLibraryDatabase } from '../../search/test-support/library.js';
import { BlobStore, type BlobSource } from '../../storage/blob-store.js';
import { tempDir, waitFor } from '../../test-support/temp-core.js';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { ExtractedDocument } from '../../ingest/extracted-document.js';
import { MaterialsService } from './materials-service.js';

/** Saves a whole document read at once, as the import job saves its batches (`openImport`). */
async function saveWhole(
  service: MaterialsService,
  id: string,
  document: ExtractedDocument,
  countTokens: TokenCounter,
): Promise<void> {
  const writer = await service.openImport(id, countTokens);
  const { pages, ...outline } = document;
  await writer.add(pages, document.type);
  writer.finish(outline);
}

/** A real BlobStore whose `remove` waits, once entered, until the test lets it go on. */
class GatedBlobStore extends BlobStore {
  private gate: { entered: () => void; open: Promise<void> } | null = null;
  /** Files stored so far (each `put` that has finished). */
  stored = 0;

  override async put(source: BlobSource) {
    const stored = await super.put(source);
    this.stored += 1;
    return stored;
  }

  holdNextRemoval(): { entered: Promise<void>; release: () => void } {
    let entered!: () => void;
    let release!: () => void;
    const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
    const open = new Promise<void>((resolve) => (release = resolve));
    this.gate = { entered, open };
    return { entered: enteredPromise, release };
  }

  override async remove(sha256: string): Promise<void> {
    const gate = this.gate;
    this.gate = null;
    if (gate) {
      gate.entered();
      await gate.open;
    }
    await super.remove(sha256);
  }
}

let storage: ReturnType<typeof openLibraryDatabase>;
let folder: ReturnType<typeof tempDir>;
let blobs: GatedBlobStore;
let service: MaterialsService;
let search: SearchSources;

beforeEach(() => {
  storage = openLibraryDatabase();
  folder = tempDir('lm-materials-');
  blobs = new GatedBlobStore(join(folder.path, 'blobs'));
  service = new MaterialsService({ ...serviceDeps(), files: blobs });
});

/** What a MaterialsService over the test's database and folder needs: a new one is the next start. */
function serviceDeps() {
  const store = new Store(storage.sqlite, storage.db);
  const index = new SearchIndex(storage.sqlite);
  search = new SearchSources({
    index,
    search: new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => null }),
    afterCommit: (effect) => store.afterCommit(effect),
  });
  return {
    store,
    bus: new EventBus(),
    files: new BlobStore(join(folder.path, 'blobs')),
    source: search.register('material'),
    uploadsDir: join(folder.path, 'uploads'),
    // The import jobs themselves are not what these tests are about: queued is enough.
    imports: { start: () => randomUUID(), cancel: () => undefined },
    classExists: () => true,
    logger: silentLogger(),
  };
}
afterEach(() => {
  storage.remove();
  folder.remove();
});

describe('MaterialsService', () => {
  it('keeps the file of a material imported again while the last material using it is being deleted', async () => {
    const text = 'The mitochondrion is the powerhouse of the cell.';
    const first = await service.pasteText(null, 'Cells', text);
    const removal = blobs.holdNextRemoval();

    // The delete has found the file unused and is removing it when the same text comes in again.
    const deleting = service.delete([first.materialId!]);
    await removal.entered;
    const again = service.pasteText(null, 'Cells again', text);
    // The second import has stored its file and now waits for the removal to finish.
    await waitFor(
      () => blobs.stored,
      (stored) => stored === 2,
    );
    removal.release();
    const [deleted, second] = await Promise.all([deleting, again]);

    expect(deleted).toEqual([first.materialId]);
    expect(second.materialId).toBeDefined();
    const subject = service.importSubject(second.materialId!);
    expect(subject && existsSync(subject.path)).toBe(true);

    // And the file still goes once nothing uses it.
    await service.delete([second.materialId!]);
    expect(existsSync(subject!.path)).toBe(false);
  });

  it('saves and deletes a long document a piece at a time: other work runs in between, and the passages are those of the whole document', async () => {
    const { materialId } = await service.pasteText(null, 'Biology', 'placeholder');
    const paragraph =
      'ATP synthase lets the protons back across the inner membrane and makes ATP as they pass. ';
    const pages = Array.from({ length: 40 }, (_, index) => ({
      number: index + 1,
      text: `Chapter ${index + 1}\n\n${paragraph.repeat(280)}`,
      blocks: [],
      words: [],
      source: 'document' as const,
    }));
    const document = { type: 'text' as const, mimeType: 'text/plain', title: 'Biology', pages, warnings: [] };

    // A read made on the next turn of the event loop runs before the import has finished.
    const seenMeanwhile = new Promise((resolve) =>
      setImmediate(() => resolve(service.get(materialId!).status)),
    );
    await saveWhole(service, materialId!, document, approximateTokenCount);
    expect(await seenMeanwhile).toBe('importing');

    expect(service.get(materialId!)).toMatchObject({ status: 'ready', pageCount: 40 });
    expect(service.page(materialId!, 40).text).toBe(pages[39]!.text);
    const stored = storage.sqlite
      .prepare('SELECT ordinal, text, page_start AS pageStart FROM chunks ORDER BY ordinal')
      .all();
    const whole = chunkDocument(document, { countTokens: approximateTokenCount });
    expect(stored).toEqual(whole.map(({ ordinal, text, pageStart }) => ({ ordinal, text, pageStart })));

    // Deleting it takes it out of the library at once, then removes its passages a piece at a
    // time (other calls are answered meanwhile), then the rest of it.
    const seenDuringDelete = new Promise((resolve) =>
      setImmediate(() =>
        resolve({
          listed: service.list({ limit: 10, offset: 0 }).total,
          passagesLeft: storage.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get(),
        }),
      ),
    );
    await service.delete([materialId!]);
    expect(await seenDuringDelete).toEqual({ listed: 0, passagesLeft: expect.any(Number) });
    expect(((await seenDuringDelete) as { passagesLeft: number }).passagesLeft).toBeGreaterThan(0);
    expect(service.list({ limit: 10, offset: 0 }).total).toBe(0);
    expect(storage.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get()).toBe(0);
    expect(storage.sqlite.prepare('SELECT count(*) FROM material_pages').pluck().get()).toBe(0);
  });

  it('an import whose material is deleted while it is being saved stops and leaves nothing of it', async () => {
    const { materialId } = await service.pasteText(null, 'Doomed', 'placeholder');
    const pages = Array.from({ length: 40 }, (_, index) => ({
      number: index + 1,
      text: 'Words of a long book. '.repeat(10_000),
      blocks: [],
      words: [],
      source: 'document' as const,
    }));
    const saving = saveWhole(
      service,
      materialId!,
      { type: 'text', mimeType: 'text/plain', title: 'Doomed', pages, warnings: [] },
      approximateTokenCount,
    ).then(
      () => 'saved',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setImmediate(resolve));
    await service.delete([materialId!]);
    expect(await saving).toBe('That material no longer exists. It may have been deleted.');
    expect(storage.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get()).toBe(0);
    expect(storage.sqlite.prepare('SELECT count(*) FROM material_pages').pluck().get()).toBe(0);
  });

  it('a deletion the engine stops in the middle of is gone at once and finished at the next start', async () => {
    const text = 'Cells make ATP from the energy of electrons moving down the respiratory chain. ';
    const { materialId } = await service.pasteText(null, 'Respiration', text);
    const pages = Array.from({ length: 100 }, (_, index) => ({
      number: index + 1,
      text: text.repeat(300),
      blocks: [],
      words: [],
      source: 'document' as const,
    }));
    await saveWhole(
      service,
      materialId!,
      { type: 'text', mimeType: 'text/plain', title: 'Respiration', pages, warnings: [] },
      approximateTokenCount,
    );
    const count = (table: string) => storage.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    const passages = count('chunks') as number;
    expect(passages).toBeGreaterThan(2000);
    const stored = service.importSubject(materialId!)!.path;
    const found = async () =>
      (await search.search({ query: 'respiratory chain', mode: 'keyword' })).hits.length;
    expect(await found()).toBeGreaterThan(0);

    // The engine shuts down while the material's passages are being removed.
    const deleting = service.delete([materialId!]);
    await service.close();
    expect(await deleting).toEqual([materialId]);
    expect(count('chunks')).toBeGreaterThan(0);
    expect(count('chunks')).toBeLessThan(passages);
    // Half-deleted, yet nowhere to be seen: not listed, not readable, not found by search.
    expect(service.list({ limit: 10, offset: 0 }).total).toBe(0);
    expect(() => service.get(materialId!)).toThrow('That material no longer exists');
    expect(() => service.page(materialId!, 1)).toThrow('That material no longer exists');
    expect(await found()).toBe(0);

    // The next start finishes the removal: no passage, page, row or file is left.
    const restarted = new MaterialsService({ ...serviceDeps(), files: blobs });
    await restarted.resumeDeletions();
    expect(count('chunks')).toBe(0);
    expect(count('material_pages')).toBe(0);
    expect(count('materials')).toBe(0);
    expect(count('search_sources')).toBe(0);
    expect(existsSync(stored)).toBe(false);
  });
});
