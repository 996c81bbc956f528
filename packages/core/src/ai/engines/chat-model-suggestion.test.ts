import { describe, expect, it } from 'vitest';
import { suggestChatModel } from './chat-model-suggestion.js';

const GB = 1024 ** 3;
// The catalog's chat models (file sizes of models/catalog.json).
const small = { id: 'qwen2.5-1.5b', bytes: 1.04 * GB, fitsMemory: true };
const medium = { id: 'phi-3.5-mini', bytes: 2.23 * GB, fitsMemory: true };
const large = { id: 'qwen2.5-7b', bytes: 4.36 * GB, fitsMemory: true };

describe('the first chat model suggested', () => {
  it('on two cores is the small model, even when the 7B fits in memory', () => {
    expect(suggestChatModel([small, medium, large], 2)).toBe('qwen2.5-1.5b');
  });

  it('grows with the cores', () => {
    expect(suggestChatModel([large, medium, small], 4)).toBe('phi-3.5-mini');
    expect(suggestChatModel([small, medium, large], 8)).toBe('qwen2.5-7b');
  });

  it('is never one that does not fit memory', () => {
    expect(suggestChatModel([small, medium, { ...large, fitsMemory: false }], 16)).toBe('phi-3.5-mini');
  });

  it('on one core is still the smallest that fits, and none when nothing fits', () => {
    expect(suggestChatModel([medium, large], 1)).toBe('phi-3.5-mini');
    expect(suggestChatModel([{ ...small, fitsMemory: false }], 8)).toBeNull();
  });
});
