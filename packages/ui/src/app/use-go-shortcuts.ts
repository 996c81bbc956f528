import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useFeatureRegistry } from './feature-registry';
import { useUiStoreApi } from './ui-store';

/** A key pressed in a field types; it is no shortcut there. */
export const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** "g" then a letter goes to a page (g c: Classes, g s: Settings …), except while typing or in a dialog. */
export function useGoShortcuts(): void {
  const navigate = useNavigate();
  const store = useUiStoreApi();
  const { nav } = useFeatureRegistry();
  useEffect(() => {
    let armedUntil = 0;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      if (store.getState().modalCount > 0) return;
      const key = event.key.toLowerCase();
      if (Date.now() < armedUntil) {
        armedUntil = 0;
        const item = nav.find((nav) => nav.key === key);
        if (item) {
          event.preventDefault();
          void navigate(item.path);
        }
        return;
      }
      if (key === 'g') armedUntil = Date.now() + 1500;
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [navigate, store, nav]);
}
