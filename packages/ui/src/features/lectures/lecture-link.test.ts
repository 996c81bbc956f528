import { describe, expect, it } from 'vitest';
import { hitPath } from '../search/SearchHitItem';
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

  it('sends a search hit in a lecture’s transcript to the lecture, at its second when the hit has one', () => {
    const hit = {
      chunkId: 1,
      materialId: id,
      materialTitle: 'Lecture 4',
      materialType: 'lecture' as const,
      classId: null,
      pageStart: null,
      pageEnd: null,
      spans: [],
      startSec: null,
      endSec: null,
      heading: null,
      snippet: 'lipid bilayers',
      score: 1,
      matchedBy: ['keyword' as const],
    };
    expect(hitPath(hit)).toBe(`/lectures/${id}`);
    expect(hitPath({ ...hit, startSec: 754 })).toBe(`/lectures/${id}?t=754`);
    expect(
      hitPath({ ...hit, materialType: 'pdf', pageStart: 6, spans: [{ page: 6, start: 1, end: 4 }] }),
    ).toBe(`/library/${id}?page=6&hl=6%3A1-4`);
  });
});
