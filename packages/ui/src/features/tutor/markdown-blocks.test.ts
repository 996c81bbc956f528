import { describe, expect, it } from 'vitest';
import { splitBlocks } from './markdown-blocks';

const sources = (text: string) => splitBlocks(text).map((block) => block.source);

describe('cutting an answer into blocks', () => {
  it('cuts at blank lines between paragraphs, keeping every character', () => {
    const text = '# Cells\n\nA cell [1].\n\nAnother paragraph.';
    expect(sources(text)).toEqual(['# Cells\n\n', 'A cell [1].\n\n', 'Another paragraph.']);
    expect(sources(text).join('')).toBe(text);
  });

  it('never cuts inside fenced code or display math, or between list items', () => {
    const code = '```python\nx = 1\n\ny = 2\n```\n\nAfter.';
    expect(sources(code)).toEqual(['```python\nx = 1\n\ny = 2\n```\n\n', 'After.']);
    const math = '$$\na^2\n\nb^2\n$$\n\nAfter.';
    expect(sources(math)).toEqual(['$$\na^2\n\nb^2\n$$\n\n', 'After.']);
    const list = '1. one\n\n2. two\n\n   more about two\n\nAfter.';
    expect(sources(list)).toEqual(['1. one\n\n2. two\n\n   more about two\n\n', 'After.']);
  });

  it('cuts a growing answer the same way before its end', () => {
    const earlier = splitBlocks('First paragraph.\n\nSecond');
    const later = splitBlocks('First paragraph.\n\nSecond paragraph.\n\n```\ncode');
    expect(later.map((block) => block.source)).toEqual([
      'First paragraph.\n\n',
      'Second paragraph.\n\n',
      '```\ncode',
    ]);
    expect(later[0]).toEqual(earlier[0]);
    expect(later[1]?.start).toBe(earlier[1]?.start);
  });
});
