import type { Material, MaterialType } from '@little-monster/core/contract';

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
