import { useEffect, useState } from 'react';
import { Dialog } from '../../app/components/Dialog';
import { useFeatureRegistry } from '../../app/feature-registry';
import { useUiStoreApi } from '../../app/ui-store';
import { isTyping } from '../../app/use-go-shortcuts';

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="shortcut-keys">
      {keys.map((key, index) => (
        <span key={key}>
          {index > 0 ? ' then ' : null}
          <kbd>{key}</kbd>
        </span>
      ))}
    </span>
  );
}

/** `?` (outside a field or dialog) lists the keyboard shortcuts: the palette and each page's `g` key. */
export function ShortcutsSheet() {
  const [open, setOpen] = useState(false);
  const store = useUiStoreApi();
  const { nav } = useFeatureRegistry();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== '?' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey)
        return;
      if (isTyping(event.target) || store.getState().modalCount > 0) return;
      event.preventDefault();
      setOpen(true);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
  if (!open) return null;
  const rows: { label: string; keys: string[] }[] = [
    { label: 'Open the command palette', keys: ['Ctrl+K'] },
    ...nav.map((item) => ({ label: `Go to ${item.label}`, keys: ['g', item.key] })),
    { label: 'Show these shortcuts', keys: ['?'] },
  ];
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <p className="muted">On a Mac, use Cmd instead of Ctrl.</p>
      <dl className="shortcut-list">
        {rows.map((row) => (
          <div key={row.label} className="shortcut-row">
            <dt>{row.label}</dt>
            <dd>
              <Keys keys={row.keys} />
            </dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
