import { describe, expect, it } from 'vitest';
import { resolveCitations, withoutCitations } from './citations.js';

describe('resolveCitations', () => {
  it('keeps citations of real sources and lists them in order of first use', () => {
    const { text, cited } = resolveCitations('Trace trees record loops [2]. They are compiled [1][2].', 3);
    expect(text).toBe('Trace trees record loops [2]. They are compiled [1][2].');
    expect(cited).toEqual([2, 1]);
  });

  it('drops invented and out-of-range numbers, keeping the valid ones of a group', () => {
    const { text, cited } = resolveCitations('Hot loops [7]. Side exits [0]. Both [1, 9].', 2);
    expect(text).toBe('Hot loops. Side exits. Both [1].');
    expect(cited).toEqual([1]);
  });

  it('normalises lists and short ranges to one marker per source', () => {
    expect(resolveCitations('See [1, 3] and [2-3].', 3).text).toBe('See [1][3] and [2][3].');
    expect(resolveCitations('Not a citation: [1-40].', 40).cited).toEqual([]);
  });

  it('leaves other brackets and code alone', () => {
    const input = 'An array a[i], a[0] and f(x)[3], a link [notes](x) and [x].';
    expect(resolveCitations(input, 2).text).toBe(input);
    const code = 'Use `xs [5]` or\n```\nys = [9]\n```\nas shown [1].';
    expect(resolveCitations(code, 1).text).toBe(code);
  });

  it('removes every marker for the history sent back to the model', () => {
    expect(withoutCitations('Loops [1] are traced [2][3].')).toBe('Loops are traced.');
  });
});
