import { useEffect, useRef } from 'react';
import { useUiStoreApi } from '../../app/ui-store';

/** Ctrl+K (Cmd+K on a Mac) anywhere, also while typing; not on top of another dialog. */
export function usePaletteShortcut(isOpen: boolean, toggle: () => void): void {
  const store = useUiStoreApi();
  const latest = useRef({ isOpen, toggle });
  useEffect(() => {
    latest.current = { isOpen, toggle };
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (
        !(event.ctrlKey || event.metaKey) ||
        event.altKey ||
        event.shiftKey ||
        event.key.toLowerCase() !== 'k'
      )
        return;
      // Another dialog is open: the palette would stack on top of it.
      if (!latest.current.isOpen && store.getState().modalCount > 0) return;
      event.preventDefault();
      latest.current.toggle();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
