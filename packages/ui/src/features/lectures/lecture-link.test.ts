import { describe, expect, it } from 'vitest';
import { lecturePath, readStartSeconds } from './lecture-link';

const id = '00000000-0000-4000-8000-000000000001';

describe('lecture links', () => {
  it('opens a lecture at a whole second', () => {
    expect(lecturePath(id)).toBe(`/lectures/${id}`);
    expect(lecturePath(id, 754.6)).toBe(`/lectures/${id}?t=754`);
    expect(lecturePath(id, null)).toBe(`/lectures/${id}`);
    expect(readStartSeconds('754')).toBe(754);
    expect(readStartSeconds('12.5')).toBe(12.5);
    expect(readStartSeconds('-3')).toBeNull();
    expect(readStartSeconds('soon')).toBeNull();
    expect(readStartSeconds(null)).toBeNull();
  });
});
