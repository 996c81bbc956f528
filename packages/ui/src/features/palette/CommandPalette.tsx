import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SearchHit } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { useFeatureRegistry } from '../../app/feature-registry';
import { useLibraryImports } from '../library/library-imports';
import type { LibraryLocationState } from '../library/LibraryPage';
import { sourcePath } from '../../app/source-link';
import type { PaletteCommand } from './commands';
import { PaletteDialog } from './PaletteDialog';
import { usePaletteShortcut } from './use-palette-shortcut';

/**
 * The palette, its Ctrl/Cmd+K shortcut, and what its commands open: every feature's pages and
 * actions, and the file picker (opened here, still inside the key press that chose it).
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const { transport } = useEngine();
  const canUpload = Boolean(transport.files ?? transport.localFiles);
  const importFiles = useLibraryImports((state) => state.importFiles);
  // Outside the dialog, so it is still there when the picker answers after the palette has closed.
  const filePicker = useRef<HTMLInputElement>(null);
  usePaletteShortcut(open, () => setOpen((was) => !was));
  const { nav, features } = useFeatureRegistry();

  const commands: PaletteCommand[] = [
    ...nav.map((item) => ({
      id: `go-${item.path}`,
      label: item.label,
      group: 'Go to' as const,
      keywords: 'go open page',
      run: () => void navigate(item.path),
    })),
    ...features.flatMap(({ commands = [] }) =>
      commands.map(({ to, state, ...command }) => ({
        ...command,
        group: 'Actions' as const,
        run: () => void navigate(to, state ? { state } : undefined),
      })),
    ),
    {
      id: 'import-files',
      label: 'Import files',
      group: 'Actions',
      keywords: 'add upload pdf slides photos documents library',
      run() {
        // Still inside the key press or click that chose the command, so the browser lets it open.
        if (canUpload) filePicker.current?.click();
        else void navigate('/library', { state: { focusPathInput: true } satisfies LibraryLocationState });
      },
    },
  ];

  return (
    <>
      {canUpload ? (
        <input
          ref={filePicker}
          type="file"
          multiple
          hidden
          aria-label="Files to import from the command palette"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length === 0) return;
            importFiles(files, null);
            void navigate('/library');
          }}
        />
      ) : null}
      {open ? (
        <PaletteDialog
          commands={commands}
          onRunHit={(hit: SearchHit) => void navigate(sourcePath(hit))}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
