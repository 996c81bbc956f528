/** A range of characters [start, end) in the text the student sees (UTF-16 offsets). */
export interface SourceSpan {
  start: number;
  end: number;
}

/** One run of spoken text and where it came from (plain data: it crosses worker threads). */
export interface SpokenPiece {
  spokenStart: number;
  spokenEnd: number;
  sourceStart: number;
  sourceEnd: number;
  /** Spoken exactly as written, so each character maps to its own source character. */
  verbatim: boolean;
}

/** A stretch of spoken text (a sentence) with the pieces it is made of, offsets from its start. */
export interface SpokenSlice {
  text: string;
  source: SourceSpan;
  pieces: SpokenPiece[];
}

/**
 * Text prepared for a voice, with a map back to the text it came from: a sentence or a word
 * being spoken can be highlighted where the student reads it, even though the voice was given
 * "for example" where the note says "e.g." or nothing where it shows a citation marker.
 */
export class SpokenText {
  constructor(
    readonly text: string,
    private readonly pieces: readonly SpokenPiece[],
  ) {}

  /** The spoken text [start, end) with its own map (offsets rebased to its start). */
  slice(start: number, end: number): SpokenSlice {
    return sliceOf(this.text, this.pieces, start, end);
  }
}

/** Part [start, end) of a slice, with its own map. */
export function subSlice(slice: SpokenSlice, start: number, end: number): SpokenSlice {
  return sliceOf(slice.text, slice.pieces, start, end);
}

function sliceOf(text: string, all: readonly SpokenPiece[], start: number, end: number): SpokenSlice {
  const pieces: SpokenPiece[] = [];
  for (let i = Math.max(0, pieceIndex(all, start)); i < all.length && all[i]!.spokenStart < end; i++) {
    const piece = all[i]!;
    const from = Math.max(piece.spokenStart, start);
    const to = Math.min(piece.spokenEnd, end);
    if (to <= from) continue;
    pieces.push({
      spokenStart: from - start,
      spokenEnd: to - start,
      sourceStart: piece.verbatim ? piece.sourceStart + (from - piece.spokenStart) : piece.sourceStart,
      sourceEnd: piece.verbatim ? piece.sourceStart + (to - piece.spokenStart) : piece.sourceEnd,
      verbatim: piece.verbatim,
    });
  }
  return { text: text.slice(start, end), source: sourceSpan(all, start, end), pieces };
}

/** Where the spoken characters [start, end) of a text made of `pieces` came from. */
export function sourceSpan(pieces: readonly SpokenPiece[], start: number, end: number): SourceSpan {
  const first = pieces[Math.max(0, pieceIndex(pieces, start))];
  const last = pieces[Math.max(0, pieceIndex(pieces, Math.max(start, end - 1)))];
  if (!first || !last) return { start: 0, end: 0 };
  const from = first.verbatim
    ? first.sourceStart + Math.max(0, start - first.spokenStart)
    : first.sourceStart;
  const to = last.verbatim
    ? last.sourceStart + Math.min(end, last.spokenEnd) - last.spokenStart
    : last.sourceEnd;
  return { start: from, end: Math.max(from, to) };
}

/** The piece holding `offset`, or (between pieces: an added separator) the one before it. */
function pieceIndex(pieces: readonly SpokenPiece[], offset: number): number {
  let low = 0;
  let high = pieces.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const piece = pieces[middle]!;
    if (offset < piece.spokenStart) high = middle - 1;
    else if (offset >= piece.spokenEnd) low = middle + 1;
    else return middle;
  }
  return high;
}

/**
 * Builds a SpokenText piece by piece, in source order. Pieces are kept as a list and joined once
 * at the end: looking at (or trimming) the end of one growing string would copy it each time,
 * which for a book-length note adds up to gigabytes.
 */
export class SpokenTextBuilder {
  /** The spoken text of each piece, in order. */
  private readonly chunks: string[] = [];
  private readonly pieces: SpokenPiece[] = [];
  private length = 0;

  /** Text spoken as written at source[start, end); line breaks become spaces. */
  verbatim(text: string, sourceStart: number): this {
    return this.add(
      text.replace(/[\r\n\t\f\v\u2028\u2029]/g, ' '),
      sourceStart,
      sourceStart + text.length,
      true,
    );
  }

  /** Words spoken for source[start, end) (a rewritten abbreviation, a formula, a link). */
  rewritten(spoken: string, sourceStart: number, sourceEnd: number): this {
    return this.add(spoken, sourceStart, sourceEnd, false);
  }

  /** Ends the sentence here (a heading, a list item, a table row): a full stop if it has none. */
  endSentence(sourceOffset: number): this {
    this.trimEnd();
    const tail = this.tail();
    if (tail === '' || tail.endsWith('\n')) return this;
    // The stop lets every voice close its intonation; the line break lets the splitter cut here.
    const stop = /[.!?…:;]["'”’)\]]*$/u.test(tail) ? '' : '.';
    return this.add(`${stop}\n`, sourceOffset, sourceOffset, false);
  }

  /** A space between pieces that would otherwise run together. */
  space(sourceOffset: number): this {
    return this.endsInBlank() ? this : this.add(' ', sourceOffset, sourceOffset, false);
  }

  build(): SpokenText {
    return new SpokenText(this.chunks.join(''), this.pieces);
  }

  private add(spoken: string, sourceStart: number, sourceEnd: number, verbatim: boolean): this {
    // One space between words is enough: drop the leading blanks of a piece that follows one.
    if (this.endsInBlank()) {
      const blanks = spoken.length - spoken.trimStart().length;
      spoken = spoken.slice(blanks);
      if (verbatim) sourceStart += blanks;
    }
    if (spoken === '') return this;
    this.chunks.push(spoken);
    this.pieces.push({
      spokenStart: this.length,
      spokenEnd: this.length + spoken.length,
      sourceStart,
      sourceEnd,
      verbatim,
    });
    this.length += spoken.length;
    return this;
  }

  /** True at the start and after whitespace. */
  private endsInBlank(): boolean {
    const last = this.chunks.at(-1);
    return last === undefined || /\s$/.test(last);
  }

  /** The last few characters, for looking at how the text ends. */
  private tail(): string {
    let tail = '';
    for (let i = this.chunks.length - 1; i >= 0 && tail.length < 8; i--) tail = this.chunks[i]! + tail;
    return tail;
  }

  /** Removes trailing whitespace, shortening (or dropping) the pieces it ended. */
  private trimEnd(): void {
    while (this.chunks.length > 0) {
      const chunk = this.chunks.at(-1)!;
      const trimmed = chunk.trimEnd();
      if (trimmed === chunk) return;
      const piece = this.pieces.at(-1)!;
      const cut = chunk.length - trimmed.length;
      this.length -= cut;
      if (trimmed === '') {
        this.chunks.pop();
        this.pieces.pop();
        continue;
      }
      this.chunks[this.chunks.length - 1] = trimmed;
      piece.spokenEnd -= cut;
      if (piece.verbatim) piece.sourceEnd -= cut;
      return;
    }
  }
}
