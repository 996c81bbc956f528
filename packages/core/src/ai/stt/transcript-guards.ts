/**
 * Guards against whisper's known failures, as pure functions over words:
 * - text for sounds rather than speech: "[BLANK_AUDIO]", "(music)", "*laughs*", "♪";
 * - repetition loops: the decoder repeating a phrase over and over, inside one segment or
 *   across consecutive segments.
 */
import type { TranscriptSegment, TranscriptWord } from './transcriber.js';

/** A word of a segment; times only when whisper timed each word. */
export interface GuardWord {
  text: string;
  startSec?: number;
  endSec?: number;
}

/** Annotations whisper writes for non-speech sounds (bounded, so a stray bracket cannot eat a paragraph). */
const ANNOTATION = /\[[^\]]{0,60}\]|\([^)]{0,60}\)|\*[^*]{1,40}\*|[♪♫♩♬🎵🎶]+/gu;
const SPEECH_CHARACTER = /[\p{L}\p{N}]/u;

/** The longest phrase (in words) checked for repetition. */
const MAX_PHRASE_WORDS = 30;
/**
 * Copies of a phrase in a row that make a loop. A single word needs one more: "no, no, no" and
 * "very, very, very" are things people say.
 */
const loopCopies = (phraseWords: number) => (phraseWords === 1 ? 4 : 3);

/** Whether the text contains anything spoken (a letter or a digit in any script). */
export const hasSpeech = (text: string): boolean => SPEECH_CHARACTER.test(text);

/** Words of a segment without timings (whitespace-separated). */
export const splitWords = (text: string): GuardWord[] =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => ({ text: word }));

export const joinWords = (words: GuardWord[]): string => words.map((word) => word.text).join(' ');

/**
 * Removes non-speech annotations. An annotation can span words ("(upbeat music)"), so matching
 * runs over the joined text and each word keeps only its characters outside any annotation.
 */
export function removeAnnotations(words: GuardWord[]): GuardWord[] {
  const text = joinWords(words);
  const hidden = new Uint8Array(text.length);
  for (const match of text.matchAll(ANNOTATION)) hidden.fill(1, match.index, match.index + match[0].length);
  const kept: GuardWord[] = [];
  let at = 0;
  for (const word of words) {
    let visible = '';
    for (let i = 0; i < word.text.length; i++) if (!hidden[at + i]) visible += word.text[i];
    at += word.text.length + 1;
    const trimmed = visible.trim();
    if (trimmed) kept.push({ ...word, text: trimmed });
  }
  return kept;
}

/** A word as compared for repetition: case, accents' composition and punctuation ignored. */
export const normalizeWord = (word: string): string =>
  word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** How many copies of `phrase` follow each other in `keys` from `start` (stepping by `step`: 1 or -1). */
function copiesAt(keys: string[], start: number, phrase: string[], step: 1 | -1): number {
  const n = phrase.length;
  let copies = 0;
  for (;;) {
    const from = step === 1 ? start + copies * n : start - (copies + 1) * n;
    if (from < 0 || from + n > keys.length) return copies;
    for (let i = 0; i < n; i++) if (keys[from + i] !== phrase[i]) return copies;
    copies += 1;
  }
}

/** Collapses a phrase repeated into a loop inside `words` to its first copy. */
export function collapseLoops<W extends GuardWord>(words: W[]): W[] {
  const keys = words.map((word) => normalizeWord(word.text));
  const kept: W[] = [];
  for (let i = 0; i < words.length;) {
    let skipTo = i + 1;
    for (let n = 1; n <= MAX_PHRASE_WORDS && i + n * 2 <= words.length; n++) {
      const copies = copiesAt(keys, i, keys.slice(i, i + n), 1);
      if (copies >= loopCopies(n)) {
        kept.push(...words.slice(i, i + n));
        skipTo = i + copies * n;
        break;
      }
    }
    if (skipTo === i + 1) kept.push(words[i]!);
    i = skipTo;
  }
  return kept;
}

/**
 * Drops the start of `words` where it continues a loop that the text before it (`before`,
 * normalized words, latest last) already ends with: a third "Thank you." segment after two.
 */
export function dropContinuedLoop<W extends GuardWord>(before: string[], words: W[]): W[] {
  let rest = words;
  for (let changed = true; changed && rest.length > 0;) {
    changed = false;
    const keys = rest.map((word) => normalizeWord(word.text));
    for (let n = 1; n <= Math.min(MAX_PHRASE_WORDS, keys.length, before.length); n++) {
      const phrase = keys.slice(0, n);
      const earlier = copiesAt(before, before.length, phrase, -1);
      if (earlier === 0) continue;
      const here = copiesAt(keys, 0, phrase, 1);
      if (earlier + here >= loopCopies(n)) {
        rest = rest.slice(here * n);
        changed = true;
        break;
      }
    }
  }
  return rest;
}

/**
 * Runs the guards over segments in order, remembering recent text so loops spanning segments
 * are cut too. Segments are final when returned (nothing is held back: live captions cannot wait).
 */
export class TranscriptGuard {
  /** Normalized words of the recent kept text, latest last. */
  private recent: string[] = [];

  /** The cleaned segment, or null when nothing spoken is left of it. */
  accept(segment: TranscriptSegment): TranscriptSegment | null {
    const words: GuardWord[] = segment.words ?? splitWords(segment.text);
    let kept = removeAnnotations(words);
    if (!hasSpeech(joinWords(kept))) return null;
    kept = dropContinuedLoop(this.recent, collapseLoops(kept));
    if (!hasSpeech(joinWords(kept))) return null;
    this.recent = [...this.recent, ...kept.map((word) => normalizeWord(word.text))].slice(
      -4 * MAX_PHRASE_WORDS,
    );
    return segment.words
      ? {
          startSec: kept[0]!.startSec ?? segment.startSec,
          endSec: kept.at(-1)!.endSec ?? segment.endSec,
          text: joinWords(kept),
          words: kept as TranscriptWord[],
        }
      : { startSec: segment.startSec, endSec: segment.endSec, text: joinWords(kept) };
  }
}

/** A pause this long between words starts a new segment. */
const SEGMENT_PAUSE_SEC = 1;
/** A segment ends after a sentence, or at this many words (a lecture line stays readable). */
const SEGMENT_MAX_WORDS = 30;

/** Groups timed words into segments: at sentence ends, long pauses, or a size limit. */
export function groupWords(words: TranscriptWord[]): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let current: TranscriptWord[] = [];
  const flush = () => {
    if (current.length === 0) return;
    segments.push({
      startSec: current[0]!.startSec,
      endSec: current.at(-1)!.endSec,
      text: joinWords(current),
      words: current,
    });
    current = [];
  };
  for (const word of words) {
    const previous = current.at(-1);
    if (previous && word.startSec - previous.endSec >= SEGMENT_PAUSE_SEC) flush();
    current.push(word);
    if (/[.?!…]["')\]]*$/.test(word.text) || current.length >= SEGMENT_MAX_WORDS) flush();
  }
  flush();
  return segments;
}
