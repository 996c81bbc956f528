import { eq } from 'drizzle-orm';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import { AppError, type MaterialType } from '../../contract/index.js';
import { materialPages, materials } from '../../db/schema/materials.js';
import type { DomainStore } from '../../db/store.js';
import type { DocumentOutline, ExtractedPage } from '../../ingest/extracted-document.js';
import { DocumentChunker } from '../../search/chunker.js';
import type { SearchSource } from '../../search/search-sources.js';

type MaterialRow = typeof materials.$inferSelect;

export interface ImportWriterDeps {
  store: DomainStore;
  source: SearchSource;
  /** The material's row while it is still being imported; throws once it is deleted. */
  importing(id: string): MaterialRow;
  changed(ids: string[]): void;
}

/**
 * Characters of page text saved per transaction: about one text page, whose passages take tens of
 * milliseconds to cut and measure in real tokens, so other calls wait no longer than that.
 */
const COMMIT_PIECE_CHARS = 25_000;

export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Saves an import's pages and passages as the reader hands them on, a piece at a time: each piece
 * a short transaction with a turn of the event loop before it, so a book-sized file never holds
 * up other calls. The material stays "importing" until `finish` makes it ready; an import that
 * stops midway is removed whole (abandonImport), or rewritten from its first page when it runs
 * again. Pages must come in order.
 */
export class ImportWriter {
  private chunker: DocumentChunker | null = null;
  private pageCount = 0;

  constructor(
    private readonly deps: ImportWriterDeps,
    private readonly materialId: string,
    private readonly countTokens: TokenCounter,
  ) {}

  /** Saves the next pages and their passages (the last passage may still grow into the next page). */
  async add(pages: ExtractedPage[], type: MaterialType, signal?: AbortSignal): Promise<void> {
    const id = this.materialId;
    for (const piece of commitPieces(pages)) {
      await nextTurn();
      signal?.throwIfAborted();
      this.deps.store.transaction((tx) => {
        const row = this.deps.importing(id);
        if (!this.chunker) {
          // The first pages say what the document is: its passages start from nothing.
          this.chunker = DocumentChunker.for(type, { countTokens: this.countTokens });
          const details = { title: row.title, classId: row.classId, addedAt: row.importedAt };
          this.deps.source.replace(id, { ...details, materialType: type }, []);
        }
        tx.insert(
          materialPages,
          piece.map((page) => pageRow(id, page)),
        );
        this.deps.source.append(
          id,
          piece.flatMap((page) => this.chunker!.add(page)),
        );
      });
      this.pageCount += piece.length;
    }
  }

  /** Saves the last passages and the material's details, which make it ready; returns its page count. */
  finish(outline: DocumentOutline): number {
    const id = this.materialId;
    if (!this.chunker) throw new AppError('INTERNAL', 'An import finished without a single page.');
    this.deps.store.transaction((tx) => {
      this.deps.importing(id);
      tx.update(
        materials,
        {
          type: outline.type,
          mimeType: outline.mimeType,
          status: 'ready',
          pageCount: this.pageCount,
          warnings: outline.warnings,
          jobId: null,
          error: null,
          updatedAt: new Date().toISOString(),
        },
        eq(materials.id, id),
      );
      this.deps.source.append(id, this.chunker!.finish());
    });
    this.deps.changed([id]);
    return this.pageCount;
  }
}

/** Pages in order, in runs of at most COMMIT_PIECE_CHARS (a longer page is a run of its own). */
function commitPieces(pages: ExtractedPage[]): ExtractedPage[][] {
  const pieces: ExtractedPage[][] = [[]];
  let chars = 0;
  for (const page of pages) {
    const size = page.text.length + (page.notes?.length ?? 0);
    if (chars > 0 && chars + size > COMMIT_PIECE_CHARS) {
      pieces.push([]);
      chars = 0;
    }
    pieces.at(-1)!.push(page);
    chars += size;
  }
  return pieces.filter((piece) => piece.length > 0);
}

const pageRow = (materialId: string, page: ExtractedPage) => ({
  materialId,
  pageNumber: page.number,
  text: page.text,
  notes: page.notes ?? null,
  words: page.words,
  source: page.source,
  ocrConfidence: page.ocrConfidence ?? null,
  width: page.width ?? null,
  height: page.height ?? null,
});
