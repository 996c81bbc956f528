import { useEffect, useState } from 'react';
import { Dialog } from '../../app/components/Dialog';
import { useFeatureRegistry } from '../../app/feature-registry';
import { useUiStoreApi } from '../../app/ui-store';
import { isTyping } from '../../app/use-go-shortcuts';

/** The document viewer's keys (use-viewer-keys.ts); each row's keys are alternatives. */
const VIEWER_ROWS: Row[] = [
  { label: 'Next page', keys: ['PageDown', '→'], join: 'or' },
  { label: 'Previous page', keys: ['PageUp', '←'], join: 'or' },
  { label: 'First or last page', keys: ['Home', 'End'], join: 'or' },
  { label: 'Zoom in or out', keys: ['+', '-'], join: 'or' },
  { label: 'Fit the page to the width', keys: ['Ctrl+0'] },
  { label: 'Find in the document', keys: ['Ctrl+F'] },
];

interface Row {
  label: string;
  keys: string[];
  /** 'then': pressed one after the other; 'or': either one. */
  join?: 'then' | 'or';
}

function Keys({ keys, join = 'then' }: { keys: string[]; join?: Row['join'] }) {
  return (
    <span className="shortcut-keys">
      {keys.map((key, index) => (
        <span key={key}>
          {index > 0 ? ` ${join} ` : null}
          <kbd>{key}</kbd>
        </span>
      ))}
    </span>
  );
}

function ShortcutList({ rows }: { rows: Row[] }) {
  return (
    <dl className="shortcut-list">
      {rows.map((row) => (
        <div key={row.label} className="shortcut-row">
          <dt>{row.label}</dt>
          <dd>
            <Keys keys={row.keys} join={row.join} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** `?` (outside a field or dialog) lists the keyboard shortcuts: the palette, each page's `g` key, the viewer's keys. */
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
  const rows: Row[] = [
    { label: 'Open the command palette', keys: ['Ctrl+K'] },
    ...nav.map((item) => ({ label: `Go to ${item.label}`, keys: ['g', item.key] })),
    { label: 'Show these shortcuts', keys: ['?'] },
  ];
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <p className="muted">On a Mac, use Cmd instead of Ctrl.</p>
      <ShortcutList rows={rows} />
      <h3 className="subheading">In a document</h3>
      <ShortcutList rows={VIEWER_ROWS} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
