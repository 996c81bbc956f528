import { describe, expect, it } from 'vitest';
import { addPiece, EMPTY_STREAM, joinStreamed, type StreamedText } from './streamed-text';

const apply = (pieces: [number, string][], start: StreamedText = EMPTY_STREAM) =>
  pieces.reduce((state, [offset, text]) => addPiece(state, offset, text), start);

describe('assembling a streamed answer', () => {
  it('joins pieces received in order', () => {
    expect(
      apply([
        [0, 'The cell '],
        [9, 'membrane '],
        [18, 'is a barrier.'],
      ]).text,
    ).toBe('The cell membrane is a barrier.');
  });

  it('ignores pieces received twice (same result, whatever the repeats)', () => {
    const state = apply([
      [0, 'The cell '],
      [0, 'The cell '],
      [9, 'membrane'],
      [9, 'membrane'],
      [4, 'cell '],
    ]);
    expect(state.text).toBe('The cell membrane');
    expect(state.ahead).toEqual([]);
  });

  it('holds pieces that arrive early until the gap is filled', () => {
    const early = apply([
      [9, 'membrane '],
      [18, 'is a barrier.'],
    ]);
    expect(early.text).toBe('');
    const filled = addPiece(early, 0, 'The cell ');
    expect(filled).toEqual({ text: 'The cell membrane is a barrier.', ahead: [] });
  });

  it('accepts a piece that overlaps what is already there', () => {
    expect(
      apply([
        [0, 'The cell'],
        [4, 'cell membrane'],
      ]).text,
    ).toBe('The cell membrane');
  });

  it('continues the text a conversation was opened with, using held pieces', () => {
    // Opened mid-answer: the engine's copy has 9 characters; pieces from 9 on arrive here.
    const streamed = apply([[9, 'membrane']]);
    expect(joinStreamed('The cell ', streamed)).toBe('The cell membrane');
    expect(joinStreamed('', apply([[0, 'Hello']]))).toBe('Hello');
    expect(joinStreamed('Hello there', apply([[0, 'Hello']]))).toBe('Hello there');
  });
});
