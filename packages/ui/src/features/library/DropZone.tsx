import { useId, useRef, useState, type DragEvent } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { useUiStoreApi } from '../../app/ui-store';
import { ClassSelect } from './ClassSelect';
import { filesFromDrop, useKeepDroppedFilesInPage } from './dropped-files';

export const NO_FILE_ACCESS_MESSAGE =
  'This window cannot send files to the engine; type the path of a file or folder instead.';

export interface DropZoneProps {
  /** Whether this window can send files to the engine (browser mode); otherwise imports go by path. */
  canUpload: boolean;
  classes: readonly StudyClass[];
  classId: string | null;
  onClassChange(classId: string | null): void;
  onFiles(files: File[]): void;
}

/** Where files come in: dropped (files or whole folders) or chosen, into the class picked here. */
export function DropZone({ canUpload, classes, classId, onClassChange, onFiles }: DropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const store = useUiStoreApi();
  const classFieldId = useId();

  useKeepDroppedFilesInPage(canUpload);

  function take(files: File[]) {
    if (files.length > 0) onFiles(files);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    filesFromDrop(event.dataTransfer).then(take, () =>
      store.getState().pushToast({
        tone: 'error',
        title: 'Some dropped files could not be read',
        action: 'Check that the files are still there and try again, or choose them with Import files.',
      }),
    );
  }

  const dropHandlers = canUpload
    ? {
        onDragOver(event: DragEvent) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        },
        onDragLeave(event: DragEvent) {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        },
        onDrop,
      }
    : {};

  return (
    <section
      className={`drop-zone${dragging ? ' is-dragging' : ''}`}
      aria-label="Add to your library"
      {...dropHandlers}
    >
      <p className="drop-zone-title">
        {canUpload ? 'Drop PDFs, slides, photos of notes or documents here' : NO_FILE_ACCESS_MESSAGE}
      </p>
      <div className="drop-zone-controls">
        {canUpload ? (
          <>
            <button
              type="button"
              className="button button-primary"
              onClick={() => filePicker.current?.click()}
            >
              Import files
            </button>
            <button type="button" className="button" onClick={() => folderPicker.current?.click()}>
              Import a folder
            </button>
            <input
              ref={filePicker}
              type="file"
              multiple
              hidden
              aria-label="Files to import"
              onChange={(e) => {
                take([...(e.target.files ?? [])]);
                e.target.value = '';
              }}
            />
            <input
              ref={(input) => {
                folderPicker.current = input;
                // Not in React's types: lets the picker choose a whole folder.
                if (input) input.webkitdirectory = true;
              }}
              type="file"
              hidden
              aria-label="Folder to import"
              onChange={(e) => {
                take([...(e.target.files ?? [])].filter((file) => !file.name.startsWith('.')));
                e.target.value = '';
              }}
            />
          </>
        ) : null}
        <div className="drop-zone-class">
          <label htmlFor={classFieldId}>Add to class</label>
          <ClassSelect id={classFieldId} classes={classes} value={classId} onChange={onClassChange} />
        </div>
      </div>
    </section>
  );
}
