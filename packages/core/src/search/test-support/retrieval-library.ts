import { randomUUID } from 'node:crypto';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { Lecture, SearchHit } from '../../contract/index.js';
import { TranscriptIndex } from '../../domains/transcripts/transcript-index.js';
import type { ExtractedPage } from '../../ingest/extracted-document.js';
import { chunkDocument } from '../chunker.js';
import type { HybridSearch } from '../hybrid-search.js';
import type { SearchIndex } from '../search-index.js';
import { SearchSources } from '../search-sources.js';
import { materialSource } from './library.js';
import type { RetrievalSet, RetrievedPlace } from './retrieval-set.js';

export interface RetrievalLibrary {
  /** Search over the indexed set, as the domains (and the tutor) reach it. */
  sources: SearchSources;
  /** The set's source id of an indexed material or lecture id. */
  sourceOf: Map<string, string>;
  /** Where a hit (of search or the tutor) is, in the set's terms. */
  placeOf(hit: Pick<SearchHit, 'ref' | 'location'>): RetrievedPlace;
}

/**
 * Indexes the set's sources as the app does: documents' pages chunked as the materials domain
 * chunks them, recordings' transcripts through the transcripts' index (lines with their times),
 * each through its typed search source. `pagesOf` gives a document's pages as the importer
 * extracted them.
 */
export async function indexRetrievalSet(
  set: RetrievalSet,
  deps: {
    index: SearchIndex;
    search: HybridSearch;
    countTokens: TokenCounter;
    pagesOf: (fixture: string) => Promise<ExtractedPage[]>;
  },
): Promise<RetrievalLibrary> {
  const { index, search, countTokens } = deps;
  const sources = new SearchSources({ index, search, afterCommit: (effect) => effect() });
  const materials = sources.register('material');
  const transcripts = new TranscriptIndex({
    source: sources.register('lecture'),
    countTokens: () => Promise.resolve(countTokens),
  });
  const sourceOf = new Map<string, string>();
  for (const source of set.sources) {
    if (source.kind === 'material') {
      const { ref, details } = materialSource({ title: source.title });
      const pages = await deps.pagesOf(source.fixture);
      materials.replace(ref.id, details, chunkDocument({ type: 'pdf', pages }, { countTokens }));
      sourceOf.set(ref.id, source.id);
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
    sources,
    sourceOf,
    placeOf: ({ ref, location }) => ({
      source: sourceOf.get(ref.id) ?? '',
      ...(location.kind === 'pages'
        ? { pageStart: location.pageStart, pageEnd: location.pageEnd, startSec: null, endSec: null }
        : { pageStart: null, pageEnd: null, startSec: location.startSec, endSec: location.endSec }),
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
