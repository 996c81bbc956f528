import {
  formatClock,
  type MaterialType,
  type SourceKind,
  type SourceLocation,
  type SourceRef,
} from '@little-monster/core/contract';
import { lecturePath } from '../features/lectures/lecture-link';
import { describePageRange, MATERIAL_TYPE_LABELS } from '../features/library/material-labels';
import { viewerPath } from '../features/library/viewer/viewer-link';
import { notePath } from '../features/notes/note-link';

/** A passage of the student's material as search hits and tutor citations name it. */
export interface SourcePassage {
  ref: SourceRef;
  materialType: MaterialType | null;
  location: SourceLocation;
}

const KIND_LABELS: Record<SourceKind, string> = {
  material: 'Material',
  lecture: 'Lecture',
  note: 'Note',
  card: 'Card',
};

/**
 * Where a passage opens: a material's viewer at its page with the passage marked, a lecture
 * playing from the second it was said, a note open for writing, a card's note open in the Study
 * page's editor.
 */
export function sourcePath({ ref, location }: SourcePassage): string {
  switch (ref.kind) {
    case 'material':
      return viewerPath(
        ref.id,
        location.kind === 'pages' ? { page: location.pageStart, spans: location.spans } : {},
      );
    case 'lecture':
      return lecturePath(ref.id, location.kind === 'time' ? location.startSec : null);
    case 'note':
      return notePath(ref.id);
    case 'card':
      return `/study?note=${encodeURIComponent(ref.id)}`;
  }
}

/** Where in its source a passage is: `12:34` in a lecture, `slide 6`, `pp. 6–7`. */
export function describeLocation({ ref, materialType, location }: SourcePassage): string {
  // A note is one text: its title says where.
  if (ref.kind === 'note') return '';
  if (location.kind === 'time') return formatClock(location.startSec * 1000);
  const { pageStart: start, pageEnd: end } = location;
  if (materialType === 'slides' && start !== null) {
    return end !== null && end !== start ? `slides ${start}–${end}` : `slide ${start}`;
  }
  return describePageRange(start, end);
}

/** "PDF", "Slides", "Lecture": what kind of thing a passage comes from. */
export const sourceTypeLabel = ({ ref, materialType }: SourcePassage) =>
  materialType ? MATERIAL_TYPE_LABELS[materialType] : KIND_LABELS[ref.kind];
