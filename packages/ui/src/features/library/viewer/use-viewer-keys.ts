import { useEffect, useRef } from 'react';
import { isTyping } from '../../../app/use-go-shortcuts';
import { useUiStoreApi } from '../../../app/ui-store';

export interface ViewerKeyActions {
  /** Pages: PageDown / → next, PageUp / ← previous, Home first, End last. */
  onPage?: (direction: 'next' | 'previous' | 'first' | 'last') => void;
  /** + / − (also with Ctrl or ⌘, as in a PDF reader), and Ctrl+0 for fit width. */
  onZoom?: (step: 1 | -1 | 0) => void;
  /** Ctrl+F / ⌘F opens the viewer's own find. */
  onFind: () => void;
}

const PAGE_KEYS: Record<string, 'next' | 'previous' | 'first' | 'last'> = {
  PageDown: 'next',
  ArrowRight: 'next',
  PageUp: 'previous',
  ArrowLeft: 'previous',
  Home: 'first',
  End: 'last',
};

/** The viewer's keys (listed on the `?` sheet), anywhere on the page except while typing or in a dialog. */
export function useViewerKeys(actions: ViewerKeyActions) {
  const store = useUiStoreApi();
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || store.getState().modalCount > 0) return;
      const { onPage, onZoom, onFind } = latest.current;
      const command = event.ctrlKey || event.metaKey;
      const zoomStep = event.key === '+' || event.key === '=' ? 1 : event.key === '-' ? -1 : null;
      if (command) {
        if (event.key.toLowerCase() === 'f' && !event.shiftKey) {
          event.preventDefault();
          onFind();
        } else if (onZoom && (zoomStep !== null || event.key === '0')) {
          event.preventDefault();
          onZoom(zoomStep ?? 0);
        }
        return;
      }
      if (isTyping(event.target)) return;
      const direction = PAGE_KEYS[event.key];
      if (direction && onPage && !event.shiftKey) {
        event.preventDefault();
        onPage(direction);
      } else if (zoomStep !== null && onZoom) {
        event.preventDefault();
        onZoom(zoomStep);
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
