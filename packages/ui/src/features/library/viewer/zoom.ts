import type { PageSize } from './pdf-support';

/** How big the page is drawn: to the column's width, whole in the window, or a scale of its size. */
export type Zoom = { fit: 'width' | 'page' } | { scale: number };

export const FIT_WIDTH: Zoom = { fit: 'width' };
export const FIT_PAGE: Zoom = { fit: 'page' };

/** The steps + and − move through (1 = the page's own size). */
export const ZOOM_STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;
export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 3;

/** The room the page has: the column's width and the window's height under the toolbar. */
export interface Room {
  width: number;
  height: number;
}

/** The width, in CSS pixels, to draw the page at. */
export function pageWidthFor(zoom: Zoom, page: PageSize, room: Room): number {
  if ('scale' in zoom) return Math.round(page.width * zoom.scale);
  if (zoom.fit === 'width') return Math.round(room.width);
  // The whole page in view, but never wider than the column.
  return Math.round(Math.min(room.width, (room.height * page.width) / page.height));
}

/** The next step up (or down) from the scale the page shows at now, wherever that came from. */
export function stepZoom(currentScale: number, direction: 1 | -1): Zoom {
  const next =
    direction === 1
      ? ZOOM_STEPS.find((step) => step > currentScale + 0.001)
      : [...ZOOM_STEPS].reverse().find((step) => step < currentScale - 0.001);
  return { scale: next ?? (direction === 1 ? MAX_ZOOM : MIN_ZOOM) };
}

export const zoomLabel = (scale: number) => `${Math.round(scale * 100)}%`;
