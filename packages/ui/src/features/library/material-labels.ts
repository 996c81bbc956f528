import type { Material, MaterialType, StudyClass } from '@little-monster/core/contract';

export const MATERIAL_TYPE_LABELS: Record<MaterialType, string> = {
  pdf: 'PDF',
  image: 'Image',
  slides: 'Slides',
  document: 'Document',
  markdown: 'Markdown',
  text: 'Text',
};

/** "1 page", "12 pages", "1 slide", "1 image". */
export function describePages(material: Pick<Material, 'type' | 'pageCount'>): string {
  const noun = material.type === 'slides' ? 'slide' : material.type === 'image' ? 'image' : 'page';
  return `${material.pageCount} ${noun}${material.pageCount === 1 ? '' : 's'}`;
}

/** "p. 6", "pp. 6–7", or nothing when the hit is not tied to a page. */
export function describePageRange(start: number | null, end: number | null): string {
  if (start === null) return '';
  return end !== null && end !== start ? `pp. ${start}–${end}` : `p. ${start}`;
}

export type ClassLookup = ReadonlyMap<string, StudyClass>;

export const classNameOf = (classes: ClassLookup, classId: string | null) =>
  classId === null ? 'No class' : (classes.get(classId)?.name ?? 'Unknown class');

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}
