import type { TokenCounter } from '../ai/tokenizer/token-counter.js';
import type { ExtractedPage, MaterialType } from '../ingest/extracted-document.js';
import { chunkDocument, type ChunkerOptions } from './chunker.js';
import type { SearchIndex } from './search-index.js';

export interface MaterialChunkIndexOptions {
  index: SearchIndex;
  /** The token measure to size chunks with now (see resolveTokenCounter). */
  countTokens: () => TokenCounter;
  /** After an import committed, e.g. to queue the search.embed job for the new chunks. */
  onChunksChanged?: (materialId: string) => void;
  chunker?: Pick<ChunkerOptions, 'maxTokens' | 'overlapRatio'>;
}

/**
 * The materials domain's view of search (its MaterialIndex port): a material's pages become
 * chunks in the keyword index, and its vectors are dropped with it.
 */
export class MaterialChunkIndex {
  constructor(private readonly options: MaterialChunkIndexOptions) {}

  /** Chunks the pages and replaces the material's chunks, inside the caller's transaction. */
  replace(materialId: string, pages: ExtractedPage[], type: MaterialType): void {
    const chunks = chunkDocument(
      { type, pages },
      { ...this.options.chunker, countTokens: this.options.countTokens() },
    );
    this.options.index.replaceChunks(materialId, chunks);
  }

  remove(materialId: string): void {
    this.options.index.removeMaterial(materialId);
  }

  afterImport(materialId: string): void {
    this.options.onChunksChanged?.(materialId);
  }
}
