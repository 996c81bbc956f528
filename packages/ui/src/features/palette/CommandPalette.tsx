import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SearchHit } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { NAV_ITEMS } from '../../app/nav';
import { ClassFormDialog } from '../classes/ClassFormDialog';
import { useImports } from '../library/imports-context';
import type { LibraryLocationState } from '../library/LibraryPage';
import { sourcePath } from '../../app/source-link';
import { useSettings } from '../settings/queries';
import type { TutorLocationState } from '../tutor/ChatPane';
import type { PaletteCommand } from './commands';
import { PaletteDialog } from './PaletteDialog';
import { usePaletteShortcut } from './use-palette-shortcut';

/** The palette, its Ctrl/Cmd+K shortcut, and what its commands open (a class form, a file picker). */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [creatingClass, setCreatingClass] = useState(false);
  const navigate = useNavigate();
  const { transport } = useEngine();
  const canUpload = Boolean(transport.files ?? transport.localFiles);
  const importFiles = useImports((state) => state.importFiles);
  const weekStartsOn = useSettings().data?.weekStartsOn ?? 'monday';
  // Outside the dialog, so it is still there when the picker answers after the palette has closed.
  const filePicker = useRef<HTMLInputElement>(null);
  usePaletteShortcut(open, () => setOpen((was) => !was));

  const commands: PaletteCommand[] = [
    ...NAV_ITEMS.map((item) => ({
      id: `go-${item.path}`,
      label: item.label,
      group: 'Go to' as const,
      keywords: 'go open page',
      run: () => void navigate(item.path),
    })),
    {
      id: 'new-class',
      label: 'New class',
      group: 'Actions',
      keywords: 'add create course',
      run() {
        void navigate('/classes');
        setCreatingClass(true);
      },
    },
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
    {
      id: 'record-lecture',
      label: 'Record a lecture',
      group: 'Actions',
      keywords: 'microphone audio class transcribe start',
      run: () => void navigate('/lectures/record'),
    },
    {
      id: 'ask-tutor',
      label: 'Ask the tutor',
      group: 'Actions',
      keywords: 'question chat explain help ai',
      run: () => void navigate('/tutor', { state: { focusComposer: true } satisfies TutorLocationState }),
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
      {creatingClass ? (
        <ClassFormDialog weekStartsOn={weekStartsOn} onClose={() => setCreatingClass(false)} />
      ) : null}
    </>
  );
}
