import { useId, useState, type FormEvent } from 'react';
import type { Note, NoteContent } from '@little-monster/core/contract';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { CardMarkdown } from './CardMarkdown';
import { useSaveNote } from './queries';

type EditableKind = Exclude<NoteContent['kind'], 'image-occlusion'>;
const KINDS: { kind: EditableKind; label: string }[] = [
  { kind: 'basic', label: 'Basic' },
  { kind: 'basic-reversed', label: 'Basic and reversed' },
  { kind: 'cloze', label: 'Cloze' },
];

function fieldsOf(content: NoteContent | undefined): { kind: EditableKind; first: string; second: string } {
  if (!content) return { kind: 'basic', first: '', second: '' };
  if (content.kind === 'cloze') return { kind: 'cloze', first: content.text, second: content.extra };
  if (content.kind === 'image-occlusion')
    return { kind: 'basic', first: content.header, second: content.back };
  return { kind: content.kind, first: content.front, second: content.back };
}

// A preview only: the engine's cloze parser decides the cards (and refuses an open deletion).
const CLOZE = /\{\{c\d+::(.*?)(?:::.*?)?\}\}/g;
const clozeSide = (text: string, side: 'front' | 'back') =>
  text.replace(CLOZE, side === 'front' ? '[...]' : '**$1**');

function contentOf(kind: EditableKind, first: string, second: string): NoteContent {
  return kind === 'cloze' ? { kind, text: first, extra: second } : { kind, front: first, back: second };
}

/** Writes or edits a note, with a live preview of its first card (cloze deletions shown as [...]). */
export function NoteEditorDialog({
  note,
  draft,
  target,
  onClose,
}: {
  /** The note to edit; without it, a new note. */
  note?: Note;
  /** What a new note starts with (a passage the student selected in the viewer). */
  draft?: NoteContent;
  /** Where a new note goes. */
  target: { deckId?: string; classId: string | null };
  onClose(): void;
}) {
  const initial = fieldsOf(note?.content ?? draft);
  const [kind, setKind] = useState<EditableKind>(initial.kind);
  const [first, setFirst] = useState(initial.first);
  const [second, setSecond] = useState(initial.second);
  const [tags, setTags] = useState((note?.tags ?? []).join(' '));
  const [duplicate, setDuplicate] = useState(false);
  const save = useSaveNote();
  const ids = { kind: useId(), first: useId(), second: useId(), tags: useId(), error: useId() };
  const cloze = kind === 'cloze';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const content = contentOf(kind, first, second);
    const tagList = tags.split(/\s+/).filter(Boolean);
    save.mutate(note ? { id: note.id, content, tags: tagList } : { ...target, content, tags: tagList }, {
      onSuccess: ({ duplicateOf }) => {
        if (duplicateOf && !duplicate) {
          // Saved; say so once before closing, so a duplicate is never silent.
          setDuplicate(true);
          return;
        }
        onClose();
      },
    });
  };

  return (
    <Dialog title={note ? 'Edit card' : 'New card'} onClose={onClose} size="large">
      <form
        className="form study-editor"
        onSubmit={submit}
        aria-describedby={save.isError ? ids.error : undefined}
      >
        {note ? null : (
          <div className="field">
            <label htmlFor={ids.kind}>Type</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as EditableKind)}>
              {KINDS.map((option) => (
                <option key={option.kind} value={option.kind}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.first}>{cloze ? 'Text' : 'Front'}</label>
          <textarea
            id={ids.first}
            rows={3}
            value={first}
            onChange={(e) => setFirst(e.target.value)}
            required
          />
          {cloze ? (
            <p className="field-hint">Hide words with {'{{c1::word}}'}; each number makes a card.</p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={ids.second}>{cloze ? 'Extra' : 'Back'}</label>
          <textarea id={ids.second} rows={3} value={second} onChange={(e) => setSecond(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.tags}>Tags</label>
          <input
            id={ids.tags}
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder="space separated"
          />
        </div>
        <section className="study-preview" aria-label="Preview">
          <CardMarkdown text={cloze ? clozeSide(first, 'front') : first} />
          <hr className="study-divider" />
          <CardMarkdown text={cloze ? clozeSide(first, 'back') : second} />
        </section>
        {save.isError ? (
          <p id={ids.error} className="text-error" role="alert">
            {save.error.message}
          </p>
        ) : null}
        {duplicate ? (
          <p className="study-duplicate" role="status">
            Saved. Another card already asks the same question; delete one of them if it is a duplicate.
          </p>
        ) : null}
        {duplicate ? (
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Close
            </button>
          </div>
        ) : (
          <FormDialogActions
            submitLabel={note ? 'Save' : 'Add card'}
            pending={save.isPending}
            onCancel={onClose}
          />
        )}
      </form>
    </Dialog>
  );
}
