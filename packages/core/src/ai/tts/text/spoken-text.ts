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
    const first = Math.max(0, pieceIndex(this.pieces, start));
    const pieces: SpokenPiece[] = [];
    for (let i = first; i < this.pieces.length && this.pieces[i]!.spokenStart < end; i++) {
      const piece = this.pieces[i]!;
      const from = Math.max(piece.spokenStart, start);
      const to = Math.min(piece.spokenEnd, end);
      if (to <= from) continue;
      const shift = piece.verbatim ? from - piece.spokenStart : 0;
      pieces.push({
        spokenStart: from - start,
        spokenEnd: to - start,
        sourceStart: piece.sourceStart + shift,
        sourceEnd: piece.verbatim ? piece.sourceStart + (to - piece.spokenStart) : piece.sourceEnd,
        verbatim: piece.verbatim,
      });
    }
    return { text: this.text.slice(start, end), source: sourceSpan(this.pieces, start, end), pieces };
  }
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

/** Builds a SpokenText piece by piece, in source order. */
export class SpokenTextBuilder {
  private text = '';
  private readonly pieces: SpokenPiece[] = [];

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
    const trimmed = this.text.trimEnd();
    if (trimmed === '' || trimmed.endsWith('\n')) return this;
    // The stop lets every voice close its intonation; the line break lets the splitter cut here.
    const stop = /[.!?…:;]["'”’)\]]*$/u.test(trimmed) ? '' : '.';
    this.text = trimmed;
    return this.add(`${stop}\n`, sourceOffset, sourceOffset, false);
  }

  /** A space between pieces that would otherwise run together. */
  space(sourceOffset: number): this {
    if (this.text === '' || /\s$/.test(this.text)) return this;
    return this.add(' ', sourceOffset, sourceOffset, false);
  }

  build(): SpokenText {
    return new SpokenText(this.text, this.pieces);
  }

  private add(spoken: string, sourceStart: number, sourceEnd: number, verbatim: boolean): this {
    // trimEnd() in endSentence may have cut the end of the last piece: keep the pieces consistent.
    this.clipPieces();
    // One space between words is enough: drop the leading blanks of a piece that follows one.
    if (this.text === '' || /\s$/.test(this.text)) {
      const blanks = spoken.length - spoken.trimStart().length;
      spoken = spoken.slice(blanks);
      if (verbatim) sourceStart += blanks;
    }
    if (spoken === '') return this;
    const spokenStart = this.text.length;
    this.text += spoken;
    this.pieces.push({ spokenStart, spokenEnd: this.text.length, sourceStart, sourceEnd, verbatim });
    return this;
  }

  private clipPieces(): void {
    while (this.pieces.length > 0) {
      const last = this.pieces[this.pieces.length - 1]!;
      if (last.spokenEnd <= this.text.length) return;
      if (last.spokenStart >= this.text.length) {
        this.pieces.pop();
        continue;
      }
      const cut = last.spokenEnd - this.text.length;
      last.spokenEnd = this.text.length;
      if (last.verbatim) last.sourceEnd -= cut;
      return;
    }
  }
}
