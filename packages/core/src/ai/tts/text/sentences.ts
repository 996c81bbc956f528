/** A range [start, end) of the spoken text. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * The longest piece a voice is given at once. A sentence is the unit of streaming: its audio
 * must come quickly and fit in memory, so a run-on sentence (a pasted table, text without
 * punctuation) is cut at a comma, else between words.
 */
export const MAX_SENTENCE_CHARS = 300;
/** A cut leaves at least this much before it, so no piece is a single word. */
const MIN_PIECE_CHARS = 40;

const HAS_WORDS = /[\p{L}\p{N}]/u;

/**
 * V8's sentence segmenter takes time quadratic in the length of the string it is given (a 320 KB
 * note: 45 s), so it is given one paragraph at a time, and long paragraphs in blocks that end at
 * a sentence-like break.
 */
const SEGMENT_BLOCK_CHARS = 8000;

/** The sentences of `text` in order, by Unicode's sentence rules for `language`, trimmed. */
export function splitSentences(text: string, language: string, maxChars = MAX_SENTENCE_CHARS): TextRange[] {
  const ranges: TextRange[] = [];
  for (const block of blocks(text)) {
    for (const { index, segment } of segmenter(language).segment(text.slice(block.start, block.end))) {
      addSentence(text, block.start + index, block.start + index + segment.length, maxChars, ranges);
    }
  }
  return ranges;
}

/** Paragraphs (lines) of `text`, cut into blocks of at most SEGMENT_BLOCK_CHARS. */
function* blocks(text: string): Generator<TextRange> {
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    let end = newline < 0 ? text.length : newline + 1;
    if (end - start > SEGMENT_BLOCK_CHARS) {
      const window = text.slice(start, start + SEGMENT_BLOCK_CHARS);
      const stop = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
      const space = window.lastIndexOf(' ');
      end = start + (stop > 0 ? stop + 2 : space > 0 ? space + 1 : SEGMENT_BLOCK_CHARS);
    }
    yield { start, end };
    start = end;
  }
}

/** Adds text[from, to) trimmed, cut into pieces of at most `maxChars`, if it has words. */
function addSentence(text: string, from: number, to: number, maxChars: number, ranges: TextRange[]): void {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (!HAS_WORDS.test(text.slice(start, end))) return;
  while (end - start > maxChars) {
    const cut = cutPoint(text, start, start + maxChars);
    ranges.push({ start, end: trimEnd(text, start, cut) });
    start = cut;
    while (start < end && /\s/.test(text[start]!)) start++;
  }
  if (end > start && HAS_WORDS.test(text.slice(start, end))) ranges.push({ start, end });
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(language: string): Intl.Segmenter {
  let found = segmenters.get(language);
  if (!found) {
    try {
      found = new Intl.Segmenter(language, { granularity: 'sentence' });
    } catch {
      // Not a language tag Intl knows (an espeak voice name): Unicode's default rules.
      found = new Intl.Segmenter(undefined, { granularity: 'sentence' });
    }
    segmenters.set(language, found);
  }
  return found;
}

/** Where to cut text[start, limit): after the last clause mark, else the last space, else at the limit. */
function cutPoint(text: string, start: number, limit: number): number {
  const window = text.slice(start + MIN_PIECE_CHARS, limit);
  const clause = Math.max(...[...window.matchAll(/[,;:—–)](?=\s)/g)].map((match) => match.index + 1), -1);
  if (clause > 0) return start + MIN_PIECE_CHARS + clause;
  const space = window.lastIndexOf(' ');
  if (space > 0) return start + MIN_PIECE_CHARS + space;
  // No space at all: cut, but never inside a surrogate pair.
  return /[\uDC00-\uDFFF]/.test(text[limit] ?? '') ? limit - 1 : limit;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Words after which the first piece of a reading may end: it must come out quickly. */
const QUICK_START_MIN_WORDS = 4;
const QUICK_START_MAX_WORDS = 7;
/** Shorter first sentences are spoken whole. */
const QUICK_START_SPLIT_ABOVE_WORDS = 9;
/** Words a phrase naturally starts with: a cut before them sounds like a pause, not a stumble. */
const PHRASE_STARTS = new Set(
  'and but or so because which that who when where while if as than to of in on at for with from into by about after before'.split(
    ' ',
  ),
);

/**
 * Where to cut a long first sentence so the voice can start speaking sooner (the first piece is
 * synthesised while the student already listens): after a comma-like mark among its first words,
 * else before the first word that starts a phrase, else not at all. The offset where the first
 * piece ends, or null.
 */
export function quickStartCut(sentence: string): number | null {
  const words = [...sentence.matchAll(/\S+/g)];
  if (words.length <= QUICK_START_SPLIT_ABOVE_WORDS) return null;
  for (let index = QUICK_START_MIN_WORDS - 1; index < QUICK_START_MAX_WORDS; index++) {
    const word = words[index]!;
    if (/[,;:—–]$/.test(word[0])) return word.index + word[0].length;
  }
  for (let index = QUICK_START_MIN_WORDS; index <= QUICK_START_MAX_WORDS; index++) {
    const word = words[index]!;
    const previous = words[index - 1]!;
    if (PHRASE_STARTS.has(word[0].toLowerCase())) return previous.index + previous[0].length;
  }
  return null;
}
