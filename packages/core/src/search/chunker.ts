import type { ChunkSpan } from '../contract/index.js';
import type { ExtractedDocument, ExtractedPage } from '../ingest/extracted-document.js';
import { noteSegments, pageSegments, type PageField, type Segment } from './page-segments.js';
import { sentenceRanges, wordRanges, type Range } from './text-ranges.js';

/** A chunk as the chunker makes it, before it is stored (the store gives it an id). */
export interface ChunkDraft {
  ordinal: number;
  /** The spans' texts joined by a newline: exactly what the spans point at. */
  text: string;
  /** The nearest heading (or slide title) above the passage. */
  heading: string | null;
  tokenCount: number;
  pageStart: number;
  pageEnd: number;
  spans: ChunkSpan[];
}

export interface ChunkerOptions {
  /** Real token count of a text in the vocabulary the chunks are sized for. */
  countTokens: (text: string) => number;
  /** Hard ceiling of a chunk's tokens; chunks fill up to it. Default 256. */
  maxTokens?: number;
  /** Share of the budget repeated from the previous chunk when a cut falls inside a paragraph. Default 0.15. */
  overlapRatio?: number;
  /**
   * Pages are independent (slides, photos): no chunk spans two pages and headings do not carry
   * from one page to the next. Default false (a PDF's paragraphs run across pages).
   */
  pagesStandAlone?: boolean;
}

const DEFAULT_MAX_TOKENS = 256;
const DEFAULT_OVERLAP = 0.15;
/** A cut at a paragraph boundary is preferred when the chunk is at least this full. */
const PARAGRAPH_CUT_FILL = 0.6;
const MAX_HEADING_CHARS = 200;

/** The document's chunks: slides and images are chunked page by page. */
export function chunkDocument(
  document: Pick<ExtractedDocument, 'type' | 'pages'>,
  options: Omit<ChunkerOptions, 'pagesStandAlone'>,
): ChunkDraft[] {
  return chunkPages(document.pages, { ...options, pagesStandAlone: pagesStandAlone(document.type) });
}

/** Slides and images: no chunk spans two pages, and headings do not carry over. */
const pagesStandAlone = (type: ExtractedDocument['type']) => type === 'slides' || type === 'image';

/**
 * Splits pages into passages of at most `maxTokens` real tokens for retrieval. Cuts fall
 * between headings, paragraphs and sentences (never inside a word, except a single "word"
 * longer than a whole chunk); a heading starts a new chunk and names the chunks under it;
 * a cut inside a paragraph repeats the previous chunk's last ~15% so a sentence cut in two is
 * still found whole. Speaker notes become chunks of their own on their slide's page.
 */
export function chunkPages(pages: ExtractedPage[], options: ChunkerOptions): ChunkDraft[] {
  const chunker = new DocumentChunker(options);
  const sorted = [...pages].sort((a, b) => a.number - b.number);
  return [...sorted.flatMap((page) => chunker.add(page)), ...chunker.finish()];
}

/**
 * The chunker fed one page at a time, in page order: a long document is chunked (and its chunks
 * stored) a piece at a time, with the same chunks as all at once.
 */
export class DocumentChunker {
  private readonly packer: ChunkPacker;
  private readonly splitter: UnitSplitter;
  private readonly headings = new HeadingTrail();

  /** A chunker for one kind of document (slides and images are chunked page by page). */
  static for(
    type: ExtractedDocument['type'],
    options: Omit<ChunkerOptions, 'pagesStandAlone'>,
  ): DocumentChunker {
    return new DocumentChunker({ ...options, pagesStandAlone: pagesStandAlone(type) });
  }

  constructor(private readonly options: ChunkerOptions) {
    this.packer = new ChunkPacker(options);
    this.splitter = new UnitSplitter(options.countTokens, this.packer.maxTokens);
  }

  /** Takes the next page; returns the chunks it completed (the last may still grow into the next page). */
  add(page: ExtractedPage): ChunkDraft[] {
    const { packer, splitter, headings } = this;
    if (this.options.pagesStandAlone) {
      packer.flush();
      headings.clear();
    }
    for (const segment of pageSegments(page)) {
      const text = page.text.slice(segment.start, segment.end);
      if (segment.kind === 'heading' && splitter.count(text) <= packer.maxTokens / 2) {
        packer.flushBody();
        headings.enter(segment.level, text);
        packer.add(splitter.whole(segment, page.text, headings.nearest(), true));
      } else {
        for (const unit of splitter.split(segment, page.text, headings.nearest())) packer.add(unit);
      }
    }
    const notes = noteSegments(page);
    if (notes.length > 0) {
      packer.flush();
      for (const segment of notes) {
        for (const unit of splitter.split(segment, page.notes!, headings.nearest())) packer.add(unit);
      }
      packer.flush();
    }
    return packer.take();
  }

  /** The last chunks. */
  finish(): ChunkDraft[] {
    this.packer.flush();
    return this.packer.take();
  }
}

/** The smallest piece the packer moves: a heading, a sentence, or a run of words. */
interface Unit {
  page: number;
  field: PageField;
  start: number;
  end: number;
  /** The text the range points into (the page's text or its notes). */
  source: string;
  tokens: number;
  isHeading: boolean;
  /** First unit of a heading, paragraph or page: a natural place to cut. */
  opensSegment: boolean;
  heading: string | null;
}

/** Cuts segments into units no larger than the budget: sentences, else word runs. */
class UnitSplitter {
  constructor(
    readonly count: (text: string) => number,
    private readonly maxTokens: number,
  ) {}

  whole(segment: Segment, source: string, heading: string | null, isHeading = false): Unit {
    return this.unit(segment, source, segment, heading, isHeading, true);
  }

  split(segment: Segment, source: string, heading: string | null): Unit[] {
    const whole = this.whole(segment, source, heading);
    if (whole.tokens <= this.maxTokens) return [whole];
    const units: Unit[] = [];
    for (const sentence of sentenceRanges(source, segment.start, segment.end)) {
      const unit = this.unit(segment, source, sentence, heading, false, units.length === 0);
      if (unit.tokens <= this.maxTokens) units.push(unit);
      else units.push(...this.wordRuns(unit));
    }
    return units;
  }

  /** Greedy runs of whole words within the budget; a word larger than the budget is cut by characters. */
  private wordRuns(sentence: Unit): Unit[] {
    const runs: Unit[] = [];
    let run: Range | undefined;
    let runTokens = 0;
    const close = () => {
      if (run) runs.push(this.unit(sentence, sentence.source, run, sentence.heading, false, false));
      run = undefined;
      runTokens = 0;
    };
    for (const word of wordRanges(sentence.source, sentence.start, sentence.end)) {
      const tokens = this.count(sentence.source.slice(word.start, word.end));
      if (tokens > this.maxTokens) {
        close();
        runs.push(...this.characterRuns(sentence, word));
        continue;
      }
      if (run && runTokens + tokens > this.maxTokens) close();
      run = run ? { start: run.start, end: word.end } : { ...word };
      runTokens += tokens;
    }
    close();
    if (runs[0]) runs[0].opensSegment = sentence.opensSegment;
    // Per-word counts can undercount a run slightly; halve any run the real count rejects.
    return runs.flatMap((unit) => this.fitted(unit));
  }

  private fitted(unit: Unit): Unit[] {
    if (unit.tokens <= this.maxTokens) return [unit];
    const words = wordRanges(unit.source, unit.start, unit.end);
    if (words.length < 2) return this.characterRuns(unit, unit);
    const middle = words[Math.floor(words.length / 2)]!.start;
    return [
      ...this.fitted(
        this.unit(unit, unit.source, { start: unit.start, end: middle }, unit.heading, false, false),
      ),
      ...this.fitted(
        this.unit(unit, unit.source, { start: middle, end: unit.end }, unit.heading, false, false),
      ),
    ].map((part, index) => (index === 0 ? { ...part, opensSegment: unit.opensSegment } : part));
  }

  /** Last resort for a "word" longer than a chunk (a URL, a base64 blob): the longest prefixes that fit. */
  private characterRuns(parent: Unit, word: Range): Unit[] {
    const runs: Unit[] = [];
    let start = word.start;
    while (start < word.end) {
      let low = start + 1;
      let high = word.end;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (this.count(parent.source.slice(start, middle)) <= this.maxTokens) low = middle;
        else high = middle - 1;
      }
      runs.push(this.unit(parent, parent.source, { start, end: low }, parent.heading, false, false));
      start = low;
    }
    return runs;
  }

  private unit(
    where: { page: number; field: PageField },
    source: string,
    range: Range,
    heading: string | null,
    isHeading: boolean,
    opensSegment: boolean,
  ): Unit {
    const text = source.slice(range.start, range.end);
    return {
      page: where.page,
      field: where.field,
      start: range.start,
      end: range.end,
      source,
      tokens: this.count(text),
      isHeading,
      opensSegment,
      heading,
    };
  }
}

/** The headings in force at the current position, by level. */
class HeadingTrail {
  private trail: { level: number; text: string }[] = [];

  enter(level: number, text: string): void {
    this.trail = this.trail.filter((heading) => heading.level < level);
    this.trail.push({ level, text: text.replace(/\s+/g, ' ').trim().slice(0, MAX_HEADING_CHARS) });
  }
  nearest(): string | null {
    return this.trail.at(-1)?.text ?? null;
  }
  clear(): void {
    this.trail = [];
  }
}

/** Fills chunks with units up to the budget and decides where to cut and what to repeat. */
class ChunkPacker {
  private chunks: ChunkDraft[] = [];
  private emitted = 0;
  private lastChunk: ChunkDraft | undefined;
  readonly maxTokens: number;
  private readonly overlapTokens: number;
  private current: Unit[] = [];
  /** The units each chunk was made of, to repeat the end of the last one. */
  private readonly emittedUnits = new WeakMap<ChunkDraft, Unit[]>();
  constructor(private readonly options: ChunkerOptions) {
    this.maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.overlapTokens = Math.floor(this.maxTokens * (options.overlapRatio ?? DEFAULT_OVERLAP));
  }

  add(unit: Unit): void {
    while (this.current.length > 0 && tokensOf(this.current) + unit.tokens > this.maxTokens) {
      this.cut(unit);
    }
    this.current.push(unit);
  }

  /** Ends the current chunk if it holds body text (a heading follows): headings gather with what follows. */
  flushBody(): void {
    if (this.current.some((unit) => !unit.isHeading)) this.flush();
  }

  flush(): void {
    while (this.current.length > 0) this.current = this.emit(this.current);
  }

  /** The chunks emitted since the last call. */
  take(): ChunkDraft[] {
    const taken = this.chunks;
    this.chunks = [];
    return taken;
  }

  /** Emits the front of the current chunk so that `next` can follow what remains. */
  private cut(next: Unit): void {
    const units = this.current;
    let cutAt = units.length;
    let filled = 0;
    const prefix = units.map((unit) => (filled += unit.tokens) - unit.tokens);
    for (let i = units.length - 1; i > 0; i--) {
      const hasBody = units.slice(0, i).some((unit) => !unit.isHeading);
      if (units[i]!.opensSegment && hasBody && prefix[i]! >= this.maxTokens * PARAGRAPH_CUT_FILL) {
        cutAt = i;
        break;
      }
    }
    const leftover = this.emit(units.slice(0, cutAt));
    const rest = [...leftover, ...units.slice(cutAt)];
    const emitted = this.lastChunk!;
    const continues = !(rest[0] ?? next).opensSegment;
    const overlap = continues ? this.overlapFrom(emitted) : [];
    const withOverlap = [...overlap, ...rest];
    this.current = tokensOf(withOverlap) + next.tokens <= this.maxTokens ? withOverlap : rest;
  }

  /** Stores `units` as a chunk, dropping trailing units until the real count fits; returns those dropped. */
  private emit(units: Unit[]): Unit[] {
    const kept = [...units];
    const dropped: Unit[] = [];
    let draft = this.draft(kept);
    while (draft.tokenCount > this.maxTokens && kept.length > 1) {
      dropped.unshift(kept.pop()!);
      draft = this.draft(kept);
    }
    this.chunks.push(draft);
    this.lastChunk = draft;
    this.emitted++;
    this.emittedUnits.set(draft, kept);
    return dropped;
  }

  /** The end of the chunk just emitted, within the overlap budget: whole sentences, else its last words. */
  private overlapFrom(chunk: ChunkDraft): Unit[] {
    const units = this.emittedUnits.get(chunk) ?? [];
    const tail: Unit[] = [];
    let tokens = 0;
    for (let i = units.length - 1; i >= 0; i--) {
      const unit = units[i]!;
      if (unit.isHeading || tokens + unit.tokens > this.overlapTokens) break;
      tail.unshift({ ...unit, opensSegment: false });
      tokens += unit.tokens;
      if (unit.opensSegment) break; // do not reach back into the previous paragraph
    }
    if (tail.length > 0) return tail;
    const last = units.at(-1);
    return last && !last.isHeading ? this.lastWords(last) : [];
  }

  private lastWords(unit: Unit): Unit[] {
    const words = wordRanges(unit.source, unit.start, unit.end);
    let start = unit.end;
    let tokens = 0;
    for (let i = words.length - 1; i > 0; i--) {
      const wordTokens = this.options.countTokens(unit.source.slice(words[i]!.start, words[i]!.end));
      if (tokens + wordTokens > this.overlapTokens) break;
      tokens += wordTokens;
      start = words[i]!.start;
    }
    if (start === unit.end) return [];
    const text = unit.source.slice(start, unit.end);
    return [{ ...unit, start, tokens: this.options.countTokens(text), opensSegment: false }];
  }

  private draft(units: Unit[]): ChunkDraft {
    // Consecutive units of one page are contiguous in its text: one span per page (and field).
    const runs: { span: ChunkSpan; source: string }[] = [];
    for (const unit of units) {
      const last = runs.at(-1);
      const field = unit.field === 'notes' ? ('notes' as const) : undefined;
      if (last && last.span.page === unit.page && last.span.field === field) last.span.end = unit.end;
      else {
        const span: ChunkSpan = {
          page: unit.page,
          start: unit.start,
          end: unit.end,
          ...(field ? { field } : {}),
        };
        runs.push({ span, source: unit.source });
      }
    }
    const spans = runs.map((run) => run.span);
    const text = runs.map((run) => run.source.slice(run.span.start, run.span.end)).join('\n');
    const pages = units.map((unit) => unit.page);
    return {
      ordinal: this.emitted,
      text,
      heading: units[0]!.heading,
      tokenCount: this.options.countTokens(text),
      pageStart: Math.min(...pages),
      pageEnd: Math.max(...pages),
      spans,
    };
  }
}

const tokensOf = (units: Unit[]) => units.reduce((sum, unit) => sum + unit.tokens, 0);
