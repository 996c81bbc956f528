/**
 * An answer assembled from `tutor.text` pieces. Each piece says where it starts (`offset`), so
 * the text is rebuilt exactly whatever happens on the way: a piece received twice is ignored, a
 * piece that arrives early waits in `ahead` until the text reaches its offset.
 */
export interface StreamedText {
  /** The text from offset 0 with no gap. */
  readonly text: string;
  /** Pieces beyond the end of `text`, sorted by offset. */
  readonly ahead: readonly (readonly [offset: number, text: string])[];
}

export const EMPTY_STREAM: StreamedText = { text: '', ahead: [] };

function extend(text: string, offset: number, piece: string): string {
  const end = offset + piece.length;
  // Already there (a repeat), or it would leave a gap: nothing to add.
  if (end <= text.length || offset > text.length) return text;
  return text + piece.slice(text.length - offset);
}

export function addPiece(state: StreamedText, offset: number, piece: string): StreamedText {
  if (piece.length === 0) return state;
  if (offset > state.text.length) {
    // Early: hold it. At one offset keep the longer piece (the same text, sent again in full).
    const held = state.ahead.find(([at]) => at === offset);
    if (held && held[1].length >= piece.length) return state;
    const ahead = [...state.ahead.filter(([at]) => at !== offset), [offset, piece] as const].sort(
      (a, b) => a[0] - b[0],
    );
    return { text: state.text, ahead };
  }
  let text = extend(state.text, offset, piece);
  if (text === state.text) return state;
  let ahead = state.ahead;
  while (ahead.length > 0 && ahead[0]![0] <= text.length) {
    const [at, held] = ahead[0]!;
    text = extend(text, at, held);
    ahead = ahead.slice(1);
  }
  return { text, ahead };
}

/**
 * The answer as far as it is known: the pieces received here, or the message's own text when
 * that is longer (the conversation was opened mid-answer), continued by any held pieces.
 */
export function joinStreamed(base: string, streamed: StreamedText): string {
  if (streamed.text.length >= base.length) return streamed.text;
  let state: StreamedText = { text: base, ahead: [] };
  for (const [offset, piece] of streamed.ahead) state = addPiece(state, offset, piece);
  return state.text;
}
