import { describe, expect, it } from 'vitest';
import { parseByteRange } from './byte-range.js';

describe('parseByteRange', () => {
  it('reads the ranges a media element asks for', () => {
    expect(parseByteRange('bytes=0-', 1000)).toEqual({ kind: 'part', start: 0, end: 999 });
    expect(parseByteRange('bytes=500-', 1000)).toEqual({ kind: 'part', start: 500, end: 999 });
    expect(parseByteRange('bytes=10-19', 1000)).toEqual({ kind: 'part', start: 10, end: 19 });
    expect(parseByteRange('bytes=-100', 1000)).toEqual({ kind: 'part', start: 900, end: 999 });
    expect(parseByteRange('Bytes = 10 - 19', 1000)).toEqual({ kind: 'part', start: 10, end: 19 });
  });

  it('stops a range at the end of the file', () => {
    expect(parseByteRange('bytes=990-5000', 1000)).toEqual({ kind: 'part', start: 990, end: 999 });
    expect(parseByteRange('bytes=-5000', 1000)).toEqual({ kind: 'part', start: 0, end: 999 });
    expect(parseByteRange('bytes=999-999', 1000)).toEqual({ kind: 'part', start: 999, end: 999 });
  });

  it('cannot satisfy a range past the end, an empty suffix, or any range of an empty file', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=2000-3000', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('sends the whole file for no range, or one it does not serve', () => {
    for (const header of [
      null,
      undefined,
      '',
      'bytes=-',
      'bytes=20-10',
      'bytes=0-10,20-30',
      'items=0-10',
      'bytes=a-b',
      'bytes=0x10-',
      'bytes 0-10',
    ]) {
      expect(parseByteRange(header, 1000), String(header)).toEqual({ kind: 'whole' });
    }
  });
});
