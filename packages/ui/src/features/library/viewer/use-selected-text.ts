import { useEffect, useState, type RefObject } from 'react';

/**
 * The text the student has selected inside `area` (the page), kept while they move to a button:
 * clicking one may clear the document's selection before its handler runs.
 */
export function useSelectedText(area: RefObject<HTMLElement | null>): string | null {
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    function onSelectionChange() {
      const selection = document.getSelection();
      const node = selection?.anchorNode;
      if (!selection || selection.isCollapsed || !node || !area.current?.contains(node)) {
        // A click elsewhere (on the button itself) keeps what was picked on the page.
        if (selection?.isCollapsed && node && area.current?.contains(node)) setSelected(null);
        return;
      }
      const text = selection.toString().replace(/\s+/g, ' ').trim();
      setSelected(text || null);
    }
    document.addEventListener('selectionchange', onSelectionChange);
    return () => document.removeEventListener('selectionchange', onSelectionChange);
  }, [area]);
  return selected;
}
