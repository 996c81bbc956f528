/**
 * Text as a student should see and search it, from text as PDF text layers, OCR and documents
 * deliver it: Unicode NFKC (ligatures such as "ﬁ" become "fi"), accents that pdf.js leaves as
 * separate spacing marks put back on their letter ("na¨ıve" becomes "naïve"), words hyphenated
 * across a line break joined ("duplica-\ntion" becomes "duplication", while "type-\nspecialized"
 * keeps its hyphen), soft hyphens and invisible characters removed, and whitespace tidied.
 *
 * Every change is recorded, so an offset in the cleaned text maps back to the original
 * characters and the other way round: word boxes and structure found on the original text still
 * land on the right words of the cleaned one.
 */

export interface CleanTextOptions {
  /**
   * Put spacing accents back on their letters. Only pdf.js produces them (from TeX fonts); in
   * typed documents a lone accent is meant as written.
   */
  repairAccents?: boolean;
  /** Words of the whole document, to tell a compound ("trace-based") from a split word. */
  vocabulary?: HyphenationVocabulary;
}

/** Which side of a changed run an offset inside it maps to. */
export type Bias = 'start' | 'end';

export interface CleanedText {
  text: string;
  /** The cleaned offset of an original offset (a position inside a changed run goes to its start or end). */
  toCleaned(offset: number, bias?: Bias): number;
  /** The original offset of a cleaned offset. */
  toOriginal(offset: number, bias?: Bias): number;
}

/** A stretch of the original text and what it became. Identity runs have equal lengths. */
interface Run {
  from: number;
  fromEnd: number;
  to: number;
  toEnd: number;
  identity: boolean;
}

const LETTER = /\p{L}/u;
const HORIZONTAL_SPACE = /[\t\p{Zs}]/u;
/** Soft hyphen, zero-width space, word joiner, BOM; control characters except tab and newline. */
const INVISIBLE = /[\u00ad\u200b\u2060\ufeff]|(?![\t\n\r])\p{Cc}/u;
const HYPHENS = new Set(['-', '\u2010', '\u00ad']);
/**
 * Superscripts, subscripts and vulgar fractions keep their form: NFKC would turn "x²" into "x2"
 * and "½" into "1⁄2", changing what the text says; so do spacing accents left on their own
 * (NFKC makes "¨" a space and a combining mark).
 */
const KEEP_FORM =
  /[\u00a8\u00af\u00b2-\u00b4\u00b8\u00b9\u00bc-\u00be\u02d8-\u02dd\u2070-\u209f\u2150-\u215f\u2189]/u;
/** Spacing accents pdf.js emits for TeX's accented letters, with their combining forms. */
const SPACING_ACCENTS = new Map([
  ['\u00a8', '\u0308'], // diaeresis
  ['\u00b4', '\u0301'], // acute
  ['\u02ca', '\u0301'],
  ['\u02cb', '\u0300'], // grave
  ['\u02c6', '\u0302'], // circumflex
  ['\u02dc', '\u0303'], // tilde
  ['\u00af', '\u0304'], // macron
  ['\u02c9', '\u0304'],
  ['\u02d8', '\u0306'], // breve
  ['\u02d9', '\u0307'], // dot above
  ['\u02da', '\u030a'], // ring
  ['\u02dd', '\u030b'], // double acute
  ['\u02c7', '\u030c'], // caron
]);
/** Marks TeX draws below and after their letter ("c¸" for "ç"). */
const TRAILING_ACCENTS = new Map([
  ['\u00b8', '\u0327'], // cedilla
  ['\u02db', '\u0328'], // ogonek
]);
/** TeX puts accents on dotless letters: "¨ı" is "ï". */
const DOTLESS = new Map([
  ['\u0131', 'i'],
  ['\u0237', 'j'],
]);

/** A word broken by a hyphen at the end of a line: "duplica-\ntion". */
const WORD_BROKEN_AT_LINE_END = /[\p{L}\p{M}]+[-\u2010\u00ad][ \t]*\r?\n[ \t]*[\p{L}\p{M}]+/gu;
const WORD_OR_COMPOUND = /[\p{L}\p{N}]+(?:[-\u2010][\p{L}\p{N}]+)*/gu;

/** Distinct words a vocabulary keeps (an English dictionary has about half a million). */
const MAX_VOCABULARY_WORDS = 2_000_000;

/** The words of a document, for deciding what a hyphen at the end of a line is. */
export class HyphenationVocabulary {
  private readonly words = new Set<string>();
  private readonly compounds = new Set<string>();

  constructor(texts: Iterable<string> = []) {
    for (const text of texts) this.add(text);
  }

  /** Learns the words of one more text (a page read as a long file streams in). */
  add(text: string): void {
    // A file made of millions of distinct "words" must not grow this without end: past the
    // limit, later words are simply not known (a line-end hyphen before them is read as a split).
    if (this.words.size >= MAX_VOCABULARY_WORDS) return;
    // The halves of words split at a line end are not words of the document.
    for (const token of text.replace(WORD_BROKEN_AT_LINE_END, ' ').matchAll(WORD_OR_COMPOUND)) {
      const parts = token[0].toLowerCase().split(/[-\u2010]/);
      parts.forEach((part, i) => {
        this.words.add(part);
        if (i > 0) this.compounds.add(`${parts[i - 1]}-${part}`);
      });
      if (parts.length > 1) this.words.add(parts.join(''));
    }
  }

  /** Whether "left-right", broken at the hyphen, is one word split in two (else a compound). */
  isSplitWord(left: string, right: string): boolean {
    const [a, b] = [left.toLowerCase(), right.toLowerCase()];
    if (this.compounds.has(`${a}-${b}`)) return false;
    if (this.words.has(a + b)) return true;
    // Two words the document uses on their own ("language-independent") make a compound.
    return !(this.words.has(a) && this.words.has(b));
  }
}

export function cleanText(raw: string, options: CleanTextOptions = {}): CleanedText {
  const builder = new AlignedText(raw);
  const vocabulary = options.vocabulary ?? new HyphenationVocabulary([raw]);
  let i = 0;
  while (i < raw.length) {
    const char = raw[i]!;
    // Line breaks: CRLF and CR become LF; at most one blank line in a row; no trailing spaces.
    if (char === '\r' || char === '\n' || char === '\u2028' || char === '\u2029') {
      i = lineBreak(raw, i, builder);
      continue;
    }
    if (HYPHENS.has(char)) {
      const end = hyphenAtLineEnd(raw, i);
      if (end !== null) {
        // A soft hyphen only ever marks where a word may break.
        const join = char === '\u00ad' || vocabulary.isSplitWord(wordBefore(raw, i), wordAfter(raw, end));
        builder.replace(i, end, join ? '' : '-');
        i = end;
        continue;
      }
    }
    if (INVISIBLE.test(char)) {
      builder.replace(i, i + 1, '');
      i += 1;
      continue;
    }
    if (HORIZONTAL_SPACE.test(char)) {
      i = spaces(raw, i, builder);
      continue;
    }
    if (options.repairAccents) {
      const repaired = accentRepair(raw, i);
      if (repaired) {
        builder.replace(i, repaired.end, repaired.text);
        i = repaired.end;
        continue;
      }
    }
    i = normalizedUnit(raw, i, builder);
  }
  return builder.finish();
}

/** Where the line-end hyphen at `at` and the break after it end, or null when it is not one. */
function hyphenAtLineEnd(raw: string, at: number): number | null {
  if (at === 0 || !LETTER.test(raw[at - 1]!)) return null;
  let end = at + 1;
  while (end < raw.length && (raw[end] === ' ' || raw[end] === '\t')) end++;
  if (raw[end] === '\r') end++;
  if (raw[end] !== '\n') return null;
  end++;
  while (end < raw.length && (raw[end] === ' ' || raw[end] === '\t')) end++;
  return end < raw.length && LETTER.test(raw[end]!) ? end : null;
}

function wordBefore(raw: string, end: number): string {
  let start = end;
  while (start > 0 && /[\p{L}\p{M}]/u.test(raw[start - 1]!)) start--;
  return raw.slice(start, end);
}

function wordAfter(raw: string, start: number): string {
  let end = start;
  while (end < raw.length && /[\p{L}\p{M}]/u.test(raw[end]!)) end++;
  return raw.slice(start, end);
}

function lineBreak(raw: string, at: number, builder: AlignedText): number {
  let end = at;
  let breaks = 0;
  while (end < raw.length) {
    const char = raw[end]!;
    if (char === '\r') {
      breaks++;
      end += raw[end + 1] === '\n' ? 2 : 1;
    } else if (char === '\n' || char === '\u2028' || char === '\u2029') {
      breaks++;
      end++;
    } else if (HORIZONTAL_SPACE.test(char) && nextNonSpaceIsBreak(raw, end)) {
      end++; // spaces on an empty line
    } else break;
  }
  const text = breaks > 1 ? '\n\n' : '\n';
  if (raw.slice(at, end) === text) builder.keep(at, end);
  else builder.replace(at, end, text);
  return end;
}

function nextNonSpaceIsBreak(raw: string, at: number): boolean {
  let i = at;
  while (i < raw.length && HORIZONTAL_SPACE.test(raw[i]!)) i++;
  return i < raw.length && /[\r\n\u2028\u2029]/.test(raw[i]!);
}

/** A run of spaces: one space inside a line, none at its end, as it was at its start (indentation). */
function spaces(raw: string, at: number, builder: AlignedText): number {
  let end = at;
  while (end < raw.length && HORIZONTAL_SPACE.test(raw[end]!)) end++;
  const atLineStart = at === 0 || raw[at - 1] === '\n' || raw[at - 1] === '\r';
  const atLineEnd = end === raw.length || /[\r\n\u2028\u2029]/.test(raw[end]!);
  const run = raw.slice(at, end);
  const text = atLineEnd ? '' : atLineStart ? run.replace(/[^\t]/gu, ' ') : ' ';
  if (text === run) builder.keep(at, end);
  else builder.replace(at, end, text);
  return end;
}

/** A spacing accent before its letter (or a cedilla after it) as the accented letter. */
function accentRepair(raw: string, at: number): { end: number; text: string } | null {
  const char = raw[at]!;
  const next = raw[at + 1];
  const combining = SPACING_ACCENTS.get(char);
  if (combining && next !== undefined) {
    const base = DOTLESS.get(next) ?? next;
    const inWord = (at > 0 && LETTER.test(raw[at - 1]!)) || LETTER.test(raw[at + 2] ?? '');
    const composed = (base + combining).normalize('NFC');
    if (LETTER.test(base) && inWord && composed.length === 1) return { end: at + 2, text: composed };
  }
  const trailing = next === undefined ? undefined : TRAILING_ACCENTS.get(next);
  if (trailing && LETTER.test(char)) {
    const composed = (char + trailing).normalize('NFC');
    if (composed.length === 1) return { end: at + 2, text: composed };
  }
  return null;
}

/** A character with its combining marks, NFKC-normalised (NFC for the forms kept as written). */
function normalizedUnit(raw: string, at: number, builder: AlignedText): number {
  const codePoint = raw.codePointAt(at)!;
  let end = at + (codePoint > 0xffff ? 2 : 1);
  while (end < raw.length && /\p{M}/u.test(raw[end]!)) end++;
  const unit = raw.slice(at, end);
  const text = unit.normalize(KEEP_FORM.test(unit) ? 'NFC' : 'NFKC');
  if (text === unit) builder.keep(at, end);
  else builder.replace(at, end, text);
  return end;
}

/** Builds the cleaned text and its alignment with the original, run by run. */
class AlignedText {
  private text = '';
  private readonly runs: Run[] = [];

  constructor(private readonly raw: string) {}

  keep(from: number, fromEnd: number): void {
    const last = this.runs.at(-1);
    const to = this.text.length;
    this.text += this.raw.slice(from, fromEnd);
    if (last?.identity && last.fromEnd === from) {
      last.fromEnd = fromEnd;
      last.toEnd = this.text.length;
    } else this.runs.push({ from, fromEnd, to, toEnd: this.text.length, identity: true });
  }

  replace(from: number, fromEnd: number, text: string): void {
    const to = this.text.length;
    this.text += text;
    this.runs.push({ from, fromEnd, to, toEnd: this.text.length, identity: false });
  }

  finish(): CleanedText {
    const { text, runs, raw } = this;
    /**
     * Runs are contiguous on both sides and never empty on the original side; on the cleaned
     * side removed text leaves empty runs, and an offset there goes to what follows.
     */
    const map = (offset: number, bias: Bias, forward: boolean): number => {
      const [start, outStart, outEnd] = forward
        ? (['from', 'to', 'toEnd'] as const)
        : (['to', 'from', 'fromEnd'] as const);
      if (offset >= (forward ? raw.length : text.length)) return forward ? text.length : raw.length;
      if (offset <= 0) return 0;
      let low = 0;
      let high = runs.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (runs[middle]![start] <= offset) low = middle;
        else high = middle - 1;
      }
      const run = runs[low]!;
      if (run.identity) return run[outStart] + (offset - run[start]);
      return offset === run[start] || bias === 'start' ? run[outStart] : run[outEnd];
    };
    return {
      text,
      toCleaned: (offset, bias = 'start') => map(offset, bias, true),
      toOriginal: (offset, bias = 'start') => map(offset, bias, false),
    };
  }
}
