import { useId, useRef, useState } from 'react';
import { UNTITLED_NOTE, type StudyClass, type WrittenNote } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { explainError } from '../../app/error-messages';
import { useFeatureRegistry } from '../../app/feature-registry';
import { ClassSelect } from '../classes/ClassSelect';
import { MarkdownEditor } from './MarkdownEditor';
import { useDeleteNote, useExportNote, useNoteWrites, type NotePatch } from './queries';
import { useAutosave, type SaveState } from './use-autosave';

const SAVE_TEXT: Record<SaveState, string> = {
  saved: 'Saved',
  waiting: 'Editing…',
  saving: 'Saving…',
  failed: 'Not saved',
};

/** What the autosave says, and why a save failed with a way to try again. */
export function SaveStatus({ state, error, onRetry }: { state: SaveState; error: unknown; onRetry(): void }) {
  const { errorTexts } = useFeatureRegistry();
  if (state !== 'failed')
    return (
      <span className="note-save-state muted" role="status">
        {SAVE_TEXT[state]}
      </span>
    );
  const { message } = explainError(error, errorTexts);
  return (
    <span className="note-save-state notice notice-error" role="alert">
      Not saved: {message} Your text is still here.{' '}
      <button type="button" className="button button-small" onClick={onRetry}>
        Try again
      </button>
    </span>
  );
}

/** A note open for writing: title, class, the editor, saved as the student types; export and delete. */
export function NoteEditor({
  note,
  classes,
  onDeleted,
}: {
  note: WrittenNote;
  classes: readonly StudyClass[];
  onDeleted(): void;
}) {
  const ids = useId();
  const { update, draft } = useNoteWrites();
  // Title and text go in one save each time, so a save never undoes the other field.
  const latest = useRef<NotePatch>({});
  const autosave = useAutosave((patch: NotePatch) => update(note.id, patch).then(() => undefined));
  const change = (patch: NotePatch) => {
    latest.current = { ...latest.current, ...patch };
    draft(note.id, patch);
    autosave.change(latest.current);
  };
  // An untitled note shows an empty title field (the name is its placeholder).
  const [title, setTitle] = useState(note.title === UNTITLED_NOTE ? '' : note.title);
  const [classId, setClassId] = useState(note.classId);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteNote();
  const exportNote = useExportNote();

  return (
    <article className="card note-editor-card" aria-label="Note">
      <div className="note-editor-head">
        <input
          id={`${ids}-title`}
          className="note-title-input"
          aria-label="Note title"
          value={title}
          maxLength={200}
          placeholder={UNTITLED_NOTE}
          onChange={(event) => {
            setTitle(event.target.value);
            change({ title: event.target.value });
          }}
        />
        <SaveStatus state={autosave.state} error={autosave.error} onRetry={() => void autosave.flush()} />
      </div>
      <div className="note-editor-meta">
        <label htmlFor={`${ids}-class`}>Class</label>
        <ClassSelect
          id={`${ids}-class`}
          classes={classes}
          value={classId}
          onChange={(value) => {
            setClassId(value);
            change({ classId: value });
          }}
        />
        <span className="note-editor-actions">
          <button
            type="button"
            className="button button-small"
            disabled={exportNote.isPending}
            onClick={() =>
              void autosave.flush().then(() => exportNote.mutate({ id: note.id, format: 'markdown' }))
            }
          >
            Export Markdown
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={exportNote.isPending}
            onClick={() =>
              void autosave.flush().then(() => exportNote.mutate({ id: note.id, format: 'docx' }))
            }
          >
            Export Word
          </button>
          <button
            type="button"
            className="button button-small button-danger-quiet"
            onClick={() => setDeleting(true)}
          >
            Delete
          </button>
        </span>
      </div>
      <MarkdownEditor
        label="Note text"
        initialMarkdown={note.markdown}
        onChange={(markdown) => change({ markdown })}
      />
      {deleting ? (
        <ConfirmDialog
          title="Delete this note?"
          confirmLabel="Delete note"
          busy={remove.isPending}
          onCancel={() => setDeleting(false)}
          onConfirm={() =>
            remove.mutate(note.id, {
              onSuccess: () => {
                setDeleting(false);
                onDeleted();
              },
            })
          }
        >
          “{title.trim() || 'Untitled note'}” and everything written in it will be deleted. This cannot be
          undone.
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
