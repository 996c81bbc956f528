import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { Lecture } from '../../contract/index.js';
import { TranscriptIndex } from '../../domains/transcripts/transcript-index.js';
import type { ExtractedPage } from '../../ingest/extracted-document.js';
import { MaterialChunkIndex } from '../material-chunk-index.js';
import type { SearchIndex } from '../search-index.js';
import { insertMaterial } from './library.js';
import type { RetrievalSet, RetrievedPlace } from './retrieval-set.js';

export interface RetrievalLibrary {
  /** The set's source id of an indexed material or lecture id. */
  sourceOf: Map<string, string>;
  /** Where a hit (of HybridSearch or the tutor) is, in the set's terms. */
  placeOf(hit: {
    materialId: string;
    pageStart: number | null;
    pageEnd: number | null;
    startSec: number | null;
    endSec: number | null;
  }): RetrievedPlace;
}

/**
 * Indexes the set's sources as the app does: documents' pages through the materials' chunk
 * index, recordings' transcripts through the transcripts' index (lines with their times).
 * `pagesOf` gives a document's pages as the importer extracted them.
 */
export async function indexRetrievalSet(
  set: RetrievalSet,
  deps: {
    sqlite: Database.Database;
    index: SearchIndex;
    countTokens: TokenCounter;
    pagesOf: (fixture: string) => Promise<ExtractedPage[]>;
  },
): Promise<RetrievalLibrary> {
  const { sqlite, index, countTokens } = deps;
  const sourceOf = new Map<string, string>();
  const materials = new MaterialChunkIndex({ index, countTokens: () => countTokens });
  const transcripts = new TranscriptIndex({
    sqlite,
    index,
    countTokens: () => Promise.resolve(countTokens),
    chunksChanged: () => undefined,
  });
  for (const source of set.sources) {
    if (source.kind === 'material') {
      const id = insertMaterial(sqlite, { title: source.title });
      materials.replace(id, await deps.pagesOf(source.fixture), 'pdf');
      sourceOf.set(id, source.id);
    } else {
      const lecture = lectureNamed(source.title);
      const lines = (source.lines ?? []).map((line) => ({
        startMs: Math.round(line.startSec * 1000),
        endMs: Math.round(line.endSec * 1000),
        text: line.text,
      }));
      await transcripts.replace(lecture, lines);
      sourceOf.set(lecture.id, source.id);
    }
  }
  return {
    sourceOf,
    placeOf: (hit) => ({
      source: sourceOf.get(hit.materialId) ?? '',
      pageStart: hit.pageStart,
      pageEnd: hit.pageEnd,
      startSec: hit.startSec,
      endSec: hit.endSec,
    }),
  };
}

function lectureNamed(title: string): Lecture {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    classId: null,
    title,
    status: 'recorded',
    mimeType: 'audio/wav',
    bytes: 0,
    durationMs: 0,
    lastSeq: -1,
    recoveryNotice: false,
    error: null,
    startedAt: now,
    endedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}
