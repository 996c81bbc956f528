import type { SourceLocation } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { describeLocation, sourcePath, sourceTypeLabel, type SourcePassage } from './source-link';

const id = '00000000-0000-4000-8000-000000000001';
const pages = (pageStart: number | null, pageEnd = pageStart): SourceLocation => ({
  kind: 'pages',
  pageStart,
  pageEnd,
  spans: [],
});
const material = (
  location = pages(6),
  materialType: SourcePassage['materialType'] = 'pdf',
): SourcePassage => ({
  ref: { kind: 'material', id },
  materialType,
  location,
});
const lecture = (startSec: number): SourcePassage => ({
  ref: { kind: 'lecture', id },
  materialType: null,
  location: { kind: 'time', startSec, endSec: startSec + 5 },
});

describe('where a passage of the student’s material opens', () => {
  it('opens a lecture at the second it was said, and a material at its page with the passage marked', () => {
    expect(sourcePath(lecture(754.6))).toBe(`/lectures/${id}?t=754`);
    expect(
      sourcePath(
        material({ kind: 'pages', pageStart: 6, pageEnd: 6, spans: [{ page: 6, start: 1, end: 9 }] }),
      ),
    ).toBe(`/library/${id}?page=6&hl=6%3A1-9`);
    expect(sourcePath(material(pages(null)))).toBe(`/library/${id}`);
  });

  it('opens a note (a search hit or a tutor citation of it) for writing, named by its title alone', () => {
    const note: SourcePassage = { ref: { kind: 'note', id }, materialType: null, location: pages(1) };
    expect(sourcePath(note)).toBe(`/notes/${id}`);
    expect(describeLocation(note)).toBe('');
    expect(sourceTypeLabel(note)).toBe('Note');
  });

  it('opens a flashcard hit in the Study page’s editor for its note', () => {
    expect(sourcePath({ ref: { kind: 'card', id }, materialType: null, location: pages(null) })).toBe(
      `/study?note=${id}`,
    );
  });

  it('names the spot: page, pages, slide, or lecture time', () => {
    expect(describeLocation(material())).toBe('p. 6');
    expect(describeLocation(material(pages(6, 7)))).toBe('pp. 6–7');
    expect(describeLocation(material(pages(4), 'slides'))).toBe('slide 4');
    expect(describeLocation(lecture(754.6))).toBe('12:34');
    expect(describeLocation(lecture(3723))).toBe('1:02:03');
  });

  it('says what kind of thing the passage comes from', () => {
    expect(sourceTypeLabel(material(pages(1), 'slides'))).toBe('Slides');
    expect(sourceTypeLabel(lecture(0))).toBe('Lecture');
  });
});
