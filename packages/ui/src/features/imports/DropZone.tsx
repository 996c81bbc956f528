import { useId, useRef, useState, type DragEvent } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { useUiStoreApi } from '../../app/ui-store';
import { ClassSelect } from '../classes/ClassSelect';
import { filesFromDrop, useKeepDroppedFilesInPage } from './dropped-files';

export const NO_FILE_ACCESS_MESSAGE =
  'This window cannot send files to the engine; type the path of a file or folder instead.';

export interface DropZoneProps {
  /** The region's name ("Add to your library"). */
  label: string;
  /** What to drop here. */
  title: string;
  /** The button that opens the file picker, and the picker's own name for screen readers. */
  picker: { label: string; inputLabel: string; accept?: string; primary?: boolean };
  /** Offer "Import a folder" too. */
  folders?: boolean;
  /** Whether this window can send files to the engine; otherwise imports go by path. */
  canUpload: boolean;
  classes: readonly StudyClass[];
  classId: string | null;
  onClassChange(classId: string | null): void;
  onFiles(files: File[]): void;
}

/** Where files come in: dropped (files or whole folders) or chosen, into the class picked here. */
export function DropZone({
  label,
  title,
  picker,
  folders = false,
  canUpload,
  classes,
  classId,
  onClassChange,
  onFiles,
}: DropZoneProps) {
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
        action: `Check that the files are still there and try again, or choose them with ${picker.label}.`,
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
    <section className={`drop-zone${dragging ? ' is-dragging' : ''}`} aria-label={label} {...dropHandlers}>
      <p className="drop-zone-title">{canUpload ? title : NO_FILE_ACCESS_MESSAGE}</p>
      <div className="drop-zone-controls">
        {canUpload ? (
          <>
            <button
              type="button"
              className={picker.primary ? 'button button-primary' : 'button'}
              onClick={() => filePicker.current?.click()}
            >
              {picker.label}
            </button>
            {folders ? (
              <button type="button" className="button" onClick={() => folderPicker.current?.click()}>
                Import a folder
              </button>
            ) : null}
            <input
              ref={filePicker}
              type="file"
              multiple
              hidden
              accept={picker.accept}
              aria-label={picker.inputLabel}
              onChange={(e) => {
                take([...(e.target.files ?? [])]);
                e.target.value = '';
              }}
            />
            {folders ? (
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
            ) : null}
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
