import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { Lecture, SearchHit } from '../../contract/index.js';
import type { ChunkInput } from '../../search/search-index.js';
import type { SearchSource } from '../../search/search-sources.js';

type Line = { startMs: number; endMs: number; text: string };

/** Passage size for transcripts: like documents' chunks, a little under what embedders read. */
const MAX_TOKENS = 200;
/** Lines carried into the next passage, so a thought cut at the boundary is found in both. */
const OVERLAP_LINES = 1;

export interface TranscriptIndexDeps {
  /** Lectures' passages in search. */
  source: SearchSource;
  /** The token measure passages are sized with. */
  countTokens: () => Promise<TokenCounter>;
}

/**
 * A lecture's transcript in search, as the `lecture` source with the lecture's id: passages of
 * consecutive lines, each with its time range, so a hit or a tutor citation plays the lecture
 * from that second.
 */
export class TranscriptIndex {
  constructor(private readonly deps: TranscriptIndexDeps) {}

  async replace(lecture: Lecture, lines: Line[]): Promise<void> {
    const chunks = transcriptChunks(lines, await this.deps.countTokens());
    this.deps.source.replace(
      lecture.id,
      { title: lecture.title, classId: lecture.classId, materialType: null, addedAt: lecture.startedAt },
      chunks,
    );
  }

  /** The lecture was renamed or moved: its hits show that. */
  describe(lecture: Lecture): void {
    this.deps.source.describe(lecture.id, { title: lecture.title, classId: lecture.classId });
  }

  remove(lectureId: string): void {
    this.deps.source.remove(lectureId);
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

/** Lower-case words; a query's last word may be half typed, so a line's word need only start with it. */
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * A lecture's hit placed at the first line of its passage that holds a word of the query, so it
 * plays from where that was said, not from the passage's start; without one, the passage's start.
 */
export function atMatchingLine<H extends Pick<SearchHit, 'location'>>(
  hit: H,
  query: string,
  lines: readonly Line[],
): H {
  const { location } = hit;
  const words = wordsOf(query);
  if (location.kind !== 'time' || words.length === 0) return hit;
  const [from, to] = [location.startSec * 1000, location.endSec * 1000];
  const line = lines.find(
    (candidate) =>
      candidate.startMs >= from &&
      candidate.startMs <= to &&
      wordsOf(candidate.text).some((spoken) => words.some((word) => spoken.startsWith(word))),
  );
  return line ? { ...hit, location: { ...location, startSec: line.startMs / 1000 } } : hit;
}
