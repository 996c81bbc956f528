/**
 * What a request's Range header asks of a file of `size` bytes (RFC 9110 §14): the whole file,
 * one part of it (`start` and `end` inclusive), or nothing it has. One rule for the browser
 * mode's file routes and the desktop's `lm-file:` protocol, so a player seeks the same in both.
 */
export type ByteRange =
  { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * Reads one `bytes=` range, as a media element sends when it seeks. A header this does not
 * serve as one range (another unit, several ranges, bad syntax, last before first) is ignored and
 * the whole file sent, as the RFC allows; a range that starts at or past the end, or asks for the
 * last 0 bytes, cannot be satisfied.
 */
export function parseByteRange(header: string | null | undefined, size: number): ByteRange {
  const match = header == null ? null : SINGLE_RANGE.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last n bytes (all of them when the file is shorter).
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'part', start, end };
}
