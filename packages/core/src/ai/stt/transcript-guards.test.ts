import { describe, expect, it } from 'vitest';
import {
  collapseLoops,
  dropContinuedLoop,
  groupWords,
  hasSpeech,
  joinWords,
  normalizeWord,
  removeAnnotations,
  splitWords,
  TranscriptGuard,
} from './transcript-guards.js';
import type { TranscriptWord } from './transcriber.js';

const clean = (text: string) => joinWords(removeAnnotations(splitWords(text)));
const collapse = (text: string) => joinWords(collapseLoops(splitWords(text)));
const keys = (text: string) => splitWords(text).map((word) => normalizeWord(word.text));

describe('non-speech annotations', () => {
  it('removes the tags whisper writes for sounds, wherever they are', () => {
    expect(clean('[BLANK_AUDIO]')).toBe('');
    expect(clean('(music)')).toBe('');
    expect(clean('[Music] Welcome back (upbeat music) everyone *laughs*')).toBe('Welcome back everyone');
    expect(clean('♪ la la ♪')).toBe('la la');
    expect(clean('[_TT_150]')).toBe('');
  });

  it('keeps ordinary text, including a stray bracket', () => {
    expect(clean('The mitochondria make energy.')).toBe('The mitochondria make energy.');
    expect(clean('see figure 3) below')).toBe('see figure 3) below');
  });

  it('keeps word timings of the words that stay', () => {
    const words = [
      { text: '(upbeat', startSec: 0, endSec: 0.5 },
      { text: 'music)', startSec: 0.5, endSec: 1 },
      { text: 'Hello', startSec: 1.2, endSec: 1.6 },
    ];
    expect(removeAnnotations(words)).toEqual([{ text: 'Hello', startSec: 1.2, endSec: 1.6 }]);
  });

  it('tells speech from punctuation and symbols in any script', () => {
    expect(hasSpeech('...')).toBe(false);
    expect(hasSpeech(' - ')).toBe(false);
    expect(hasSpeech('Ça va')).toBe(true);
    expect(hasSpeech('東京')).toBe(true);
    expect(hasSpeech('42')).toBe(true);
  });
});

describe('repetition loops inside a segment', () => {
  it('collapses a phrase repeated three times or more to one copy', () => {
    expect(collapse('I think that I think that I think that we are done')).toBe('I think that we are done');
    expect(collapse('Thank you. Thank you. Thank you. Thank you. Thank you.')).toBe('Thank you.');
  });

  it('ignores case and punctuation when comparing', () => {
    expect(collapse('So we go, so we go. So We Go! next')).toBe('So we go, next');
  });

  it('keeps a phrase said twice, and a word said three times', () => {
    expect(collapse('I know, I know. Let us start.')).toBe('I know, I know. Let us start.');
    expect(collapse('No, no, no, that is wrong.')).toBe('No, no, no, that is wrong.');
  });

  it('collapses a single word repeated four times or more', () => {
    expect(collapse('the the the the the the end')).toBe('the end');
  });
});

describe('repetition loops across segments', () => {
  it('drops the start of a segment that makes the previous text a loop', () => {
    const before = keys('and then Thank you. Thank you.');
    expect(joinWords(dropContinuedLoop(before, splitWords('Thank you. See you next week.')))).toBe(
      'See you next week.',
    );
  });

  it('leaves a segment that repeats the previous one only once', () => {
    const before = keys('We will see.');
    expect(joinWords(dropContinuedLoop(before, splitWords('We will see.')))).toBe('We will see.');
  });

  it('drops identical segments from the third one on, keeping the first two', () => {
    const guard = new TranscriptGuard();
    const kept = [0, 1, 2, 3].map((i) =>
      guard.accept({ startSec: i, endSec: i + 1, text: 'Please subscribe to the channel.' }),
    );
    expect(kept.map((segment) => segment?.text ?? null)).toEqual([
      'Please subscribe to the channel.',
      'Please subscribe to the channel.',
      null,
      null,
    ]);
    expect(guard.accept({ startSec: 4, endSec: 5, text: 'Now, the cell membrane.' })?.text).toBe(
      'Now, the cell membrane.',
    );
  });

  it('drops a segment with nothing spoken in it and keeps the times of the others', () => {
    const guard = new TranscriptGuard();
    expect(guard.accept({ startSec: 0, endSec: 2, text: '[BLANK_AUDIO]' })).toBeNull();
    expect(guard.accept({ startSec: 2, endSec: 3, text: ' ... ' })).toBeNull();
    expect(guard.accept({ startSec: 3, endSec: 4, text: ' (music) Hello there. ' })).toEqual({
      startSec: 3,
      endSec: 4,
      text: 'Hello there.',
    });
  });

  it('moves a timed segment to the words that remain', () => {
    const guard = new TranscriptGuard();
    const words: TranscriptWord[] = [
      { text: '[Music]', startSec: 0, endSec: 1 },
      { text: 'Hello', startSec: 1.5, endSec: 1.8 },
      { text: 'there.', startSec: 1.8, endSec: 2.2 },
    ];
    expect(guard.accept({ startSec: 0, endSec: 2.2, text: '[Music] Hello there.', words })).toEqual({
      startSec: 1.5,
      endSec: 2.2,
      text: 'Hello there.',
      words: words.slice(1),
    });
  });
});

describe('groupWords', () => {
  const word = (text: string, startSec: number, endSec = startSec + 0.3): TranscriptWord => ({
    text,
    startSec,
    endSec,
  });

  it('ends a segment at a sentence end and at a long pause', () => {
    const segments = groupWords([
      word('Good', 0),
      word('morning.', 0.3),
      word('Today', 1),
      word('we', 1.3),
      word('start', 3), // 1.4 s after "we" ends
      word('chapter', 3.3),
      word('two?', 3.6),
    ]);
    expect(segments.map((segment) => [segment.text, segment.startSec, segment.endSec])).toEqual([
      ['Good morning.', 0, 0.6],
      ['Today we', 1, 1.6],
      ['start chapter two?', 3, 3.9],
    ]);
    expect(segments[0]!.words).toHaveLength(2);
  });

  it('limits a segment to 30 words', () => {
    const words = Array.from({ length: 65 }, (_, i) => word(`w${i}`, i * 0.3));
    expect(groupWords(words).map((segment) => segment.words!.length)).toEqual([30, 30, 5]);
  });
});
