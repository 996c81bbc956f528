import { useEffect, useState, type RefObject } from 'react';
import type { PageSize } from './pdf-support';
import { pageWidthFor, type Room, type Zoom } from './zoom';

/** Width the page is drawn at when the column has not been laid out (or cannot be measured). */
export const FALLBACK_WIDTH = 800;

/** The page's border (1 px each side): the drawing fits inside the column with it. */
const STAGE_BORDERS = 2;

/** Below the sticky toolbar, the whole page fits with this much to spare. */
const MARGIN = 16;

/** The room the page column has (its width, the window's height under the toolbar), followed as the window is resized. */
export function usePageRoom(column: RefObject<HTMLElement | null>): Room {
  const [room, setRoom] = useState<Room>({ width: FALLBACK_WIDTH, height: FALLBACK_WIDTH });
  useEffect(() => {
    const element = column.current;
    if (!element) return;
    const measure = () =>
      setRoom((previous) => {
        const width = element.clientWidth ? element.clientWidth - STAGE_BORDERS : FALLBACK_WIDTH;
        const toolbar = element.closest('.viewer')?.querySelector('.viewer-toolbar');
        const below = (toolbar?.getBoundingClientRect().height ?? 0) + MARGIN + STAGE_BORDERS;
        const height = Math.max(200, (window.innerHeight || FALLBACK_WIDTH) - below);
        return previous.width === width && previous.height === height ? previous : { width, height };
      });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // The find bar opening makes the toolbar taller, and the room under it smaller.
    const toolbar = element.closest('.viewer')?.querySelector('.viewer-toolbar');
    if (toolbar) observer.observe(toolbar);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [column]);
  return room;
}

/** The page's drawn width for the zoom, and the scale that is (for the zoom's label and its steps). */
export function pageLayout(zoom: Zoom, size: PageSize | null, room: Room) {
  if (!size || !(size.width > 0) || !(size.height > 0)) return null;
  const width = pageWidthFor(zoom, size, room);
  return { width, height: Math.round((width * size.height) / size.width), scale: width / size.width };
}
