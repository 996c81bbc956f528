/**
 * Anki's image occlusion notes (Anki 23.10+): a cloze note type whose deletions are shapes,
 * `{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}`, in fractions of the
 * image. Ours keep rectangles; Anki's ellipses and polygons come in as their bounding boxes.
 */
import type { OcclusionMask } from '../cards/note-content.js';
import { parseCloze, type ClozeNode } from '../cards/cloze.js';

const PREFIX = 'image-occlusion:';

/** The masks of an occlusion field, or null when a shape is not in fractions of the image (Anki before 23.10). */
export function parseOcclusions(field: string): OcclusionMask[] | null {
  const masks: OcclusionMask[] = [];
  const visit = (node: ClozeNode): boolean => {
    if (node.kind === 'text') return true;
    const text = node.children.map((child) => (child.kind === 'text' ? child.text : '')).join('');
    if (text.startsWith(PREFIX)) {
      const box = boundingBox(text.slice(PREFIX.length));
      if (!box) return false;
      for (const group of node.numbers) masks.push({ group, ...box });
    }
    return node.children.every(visit);
  };
  return parseCloze(field).every(visit) ? masks : null;
}

function boundingBox(shape: string): Omit<OcclusionMask, 'group'> | null {
  const [kind, ...pairs] = shape.split(':');
  const properties = new Map(pairs.map((pair) => pair.split('=') as [string, string]));
  const value = (name: string) => Number.parseFloat(properties.get(name) ?? '');
  let box: Omit<OcclusionMask, 'group'>;
  if (kind === 'rect') {
    box = { x: value('left'), y: value('top'), width: value('width'), height: value('height') };
  } else if (kind === 'ellipse') {
    box = { x: value('left'), y: value('top'), width: 2 * value('rx'), height: 2 * value('ry') };
  } else if (kind === 'polygon') {
    const points = (properties.get('points') ?? '').split(' ').map((point) => point.split(',').map(Number));
    const xs = points.map(([x]) => x!);
    const ys = points.map(([, y]) => y!);
    box = {
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    };
  } else {
    return null;
  }
  const inImage = Object.values(box).every((number) => Number.isFinite(number) && number >= 0 && number <= 1);
  return inImage && box.width > 0 && box.height > 0 ? box : null;
}

/** Our masks as Anki's occlusion field: one deletion per mask, hiding only on its group's card. */
export function occlusionClozeText(masks: readonly OcclusionMask[]): string {
  const number = (value: number) => String(Math.round(value * 10_000) / 10_000);
  return masks
    .map(
      (mask) =>
        `{{c${mask.group}::${PREFIX}rect:left=${number(mask.x)}:top=${number(mask.y)}:width=${number(mask.width)}:height=${number(mask.height)}:oi=1}}`,
    )
    .join('<br>');
}
