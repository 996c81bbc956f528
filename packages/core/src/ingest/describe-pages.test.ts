import { describe, expect, it } from 'vitest';
import { describePages } from './describe-pages.js';

describe('describePages', () => {
  it('names pages the way a person would', () => {
    expect(describePages([11])).toBe('page 11');
    expect(describePages([5, 3])).toBe('pages 3 and 5');
    expect(describePages([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22])).toBe(
      'pages 2–22',
    );
    expect(describePages([7, 1, 5, 3, 6, 5])).toBe('pages 1, 3 and 5–7');
  });
});
