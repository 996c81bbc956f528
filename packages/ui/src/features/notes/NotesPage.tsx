import { useEffect, useId } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { WrittenNoteSummary } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatDateTime } from '../../app/format';
import { isRpcCallError } from '../../transport/client';
import { classNameOf, useClassLookup } from '../classes/class-lookup';
import { NoteEditor } from './NoteEditor';
import { notePath } from './note-link';
import { useCreateNote, useNote, useNotesList } from './queries';

/** What the palette's "Write a note" asks the page to do on arrival. */
export interface NotesLocationState {
  newNote?: boolean;
}

/** `?class=<id>` a class's notes, `?class=none` those in no class, nothing: every note. */
function useClassFilter() {
  const [params, setParams] = useSearchParams();
  const value = params.get('class');
  const classId = value === null ? undefined : value === 'none' ? null : value;
  const setClassId = (next: string | null | undefined) =>
    setParams(next === undefined ? {} : { class: next ?? 'none' }, { replace: true });
  return { classId, setClassId, search: params.toString() };
}

function NoteList({
  notes,
  openId,
  search,
}: {
  notes: WrittenNoteSummary[];
  openId: string;
  search: string;
}) {
  const classes = useClassLookup();
  if (notes.length === 0)
    return (
      <EmptyState title="No notes yet">
        <p>Write one with “New note”: it is saved as you type.</p>
      </EmptyState>
    );
  return (
    <ul className="note-list" aria-label="Notes">
      {notes.map((note) => (
        <li key={note.id}>
          <Link
            className="note-list-item"
            to={`${notePath(note.id)}${search ? `?${search}` : ''}`}
            aria-current={note.id === openId ? 'page' : undefined}
          >
            <span className="note-list-title">{note.title}</span>
            <span className="note-list-excerpt muted">{note.excerpt || 'Empty'}</span>
            <span className="note-list-meta muted">
              {classNameOf(classes.byId, note.classId)} · {formatDateTime(note.updatedAt)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function OpenNote({ id, onDeleted }: { id: string; onDeleted(): void }) {
  const note = useNote(id);
  const classes = useClassLookup();
  if (note.isPending) return <Loading label="Opening the note…" />;
  if (note.isError)
    return (
      <ErrorState
        error={note.error}
        what={isRpcCallError(note.error, 'NOT_FOUND') ? 'this note' : 'the note'}
        onRetry={() => void note.refetch()}
      />
    );
  // Keyed by id: each note gets its own editor and autosave.
  return <NoteEditor key={note.data.id} note={note.data} classes={classes.active} onDeleted={onDeleted} />;
}

/** `/notes` and `/notes/:id`: the notes of a class (or all), and the one open for writing. */
export function NotesPage() {
  const { id = '' } = useParams();
  const ids = useId();
  const navigate = useNavigate();
  const location = useLocation();
  const { classId, setClassId, search } = useClassFilter();
  const classes = useClassLookup();
  const list = useNotesList(classId === undefined ? {} : { classId });
  const create = useCreateNote();
  const newNote = () =>
    create.mutate(
      { classId: classId ?? null },
      { onSuccess: (note) => void navigate(`${notePath(note.id)}${search ? `?${search}` : ''}`) },
    );

  const askedForNew = (location.state as NotesLocationState | null)?.newNote === true;
  useEffect(() => {
    if (!askedForNew) return;
    void navigate(location.pathname + location.search, { replace: true, state: null });
    newNote();
    // Only on arrival with the palette's request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [askedForNew]);

  return (
    <>
      <PageHeader
        title="Notes"
        description="Your own notes, per class, saved as you type. Search and the tutor find them."
        actions={
          <button
            type="button"
            className="button button-primary"
            onClick={newNote}
            disabled={create.isPending}
          >
            New note
          </button>
        }
      />
      <div className="notes-layout">
        <aside className="notes-side">
          <div className="field">
            <label htmlFor={`${ids}-class`}>Class</label>
            <select
              id={`${ids}-class`}
              value={classId === undefined ? 'all' : (classId ?? 'none')}
              onChange={(event) => {
                const value = event.target.value;
                setClassId(value === 'all' ? undefined : value === 'none' ? null : value);
              }}
            >
              <option value="all">All classes</option>
              <option value="none">No class</option>
              {classes.active.map((cls) => (
                <option key={cls.id} value={cls.id}>
                  {cls.name}
                </option>
              ))}
            </select>
          </div>
          {list.isPending ? (
            <Loading label="Loading notes…" />
          ) : list.isError ? (
            <ErrorState error={list.error} what="your notes" onRetry={() => void list.refetch()} />
          ) : (
            <NoteList notes={list.data} openId={id} search={search} />
          )}
        </aside>
        <section className="notes-main" aria-label="Open note">
          {id ? (
            <OpenNote id={id} onDeleted={() => void navigate(`/notes${search ? `?${search}` : ''}`)} />
          ) : (
            <EmptyState title="No note open">
              <p>Pick a note from the list, or start a new one.</p>
            </EmptyState>
          )}
        </section>
      </div>
    </>
  );
}
