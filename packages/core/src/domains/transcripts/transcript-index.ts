import type Database from 'better-sqlite3';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { Lecture } from '../../contract/index.js';
import type { ChunkInput, SearchIndex } from '../../search/search-index.js';

type Line = { startMs: number; endMs: number; text: string };

/** Passage size for transcripts: like documents' chunks, a little under what embedders read. */
const MAX_TOKENS = 200;
/** Lines carried into the next passage, so a thought cut at the boundary is found in both. */
const OVERLAP_LINES = 1;

export interface TranscriptIndexDeps {
  sqlite: Database.Database;
  index: SearchIndex;
  countTokens: () => Promise<TokenCounter>;
  /** Chunks changed: queue their embeddings. */
  chunksChanged: () => void;
}

/**
 * A lecture's transcript in the library index: passages of consecutive lines, each with its time
 * range, under a material row of type 'lecture' whose id is the lecture's, so a search hit or a
 * tutor citation plays the lecture from that second.
 */
export class TranscriptIndex {
  constructor(private readonly deps: TranscriptIndexDeps) {}

  async replace(lecture: Lecture, lines: Line[]): Promise<void> {
    const chunks = transcriptChunks(lines, await this.deps.countTokens());
    const { sqlite, index } = this.deps;
    sqlite.transaction(() => {
      const now = new Date().toISOString();
      sqlite
        .prepare(
          `INSERT INTO materials (id, class_id, title, type, status, blob_sha256, source_name, mime_type, bytes, page_count, imported_at, updated_at)
           VALUES (@id, @classId, @title, 'lecture', 'ready', '', @title, @mimeType, @bytes, 0, @startedAt, @now)
           ON CONFLICT (id) DO UPDATE SET class_id = @classId, title = @title, bytes = @bytes, updated_at = @now`,
        )
        .run({ ...lecture, now });
      index.replaceChunks(lecture.id, chunks);
    })();
    this.deps.chunksChanged();
  }

  remove(lectureId: string): void {
    const { sqlite, index } = this.deps;
    sqlite.transaction(() => {
      index.removeMaterial(lectureId);
      sqlite.prepare("DELETE FROM materials WHERE id = ? AND type = 'lecture'").run(lectureId);
    })();
  }
}

/** Consecutive lines grouped into passages of at most MAX_TOKENS, one line of overlap. */
export function transcriptChunks(
  lines: Line[],
  countTokens: TokenCounter,
  maxTokens = MAX_TOKENS,
): ChunkInput[] {
  const chunks: ChunkInput[] = [];
  const spoken = lines.filter((line) => line.text.trim());
  let start = 0;
  while (start < spoken.length) {
    let end = start;
    let tokens = countTokens(spoken[start]!.text);
    while (end + 1 < spoken.length && tokens + countTokens(spoken[end + 1]!.text) <= maxTokens) {
      end += 1;
      tokens += countTokens(spoken[end]!.text);
    }
    const passage = spoken.slice(start, end + 1);
    chunks.push({
      text: passage.map((line) => line.text.trim()).join(' '),
      heading: null,
      tokenCount: tokens,
      pageStart: null,
      pageEnd: null,
      spans: [],
      timeStartMs: passage[0]!.startMs,
      timeEndMs: passage.at(-1)!.endMs,
    });
    if (end + 1 >= spoken.length) break;
    start = Math.max(start + 1, end + 1 - OVERLAP_LINES);
  }
  return chunks;
}
