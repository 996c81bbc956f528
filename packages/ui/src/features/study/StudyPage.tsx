import { useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Deck, ImportSummary, Note, StudyClass } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { useClasses } from '../classes/queries';
import { ExamReadiness } from './ExamReadiness';
import { NoteEditorDialog } from './NoteEditorDialog';
import {
  useCardAction,
  useDecks,
  useDeleteNotes,
  useExportDeck,
  useImportDeck,
  useMoveNotes,
  useNote,
  useNotes,
  type CardAction,
} from './queries';
import { reviewPath, scopeFromParams, statsPath } from './study-links';

const dueTotal = (deck: Pick<Deck, 'due'>) => deck.due.new + deck.due.learning + deck.due.review;

function noteTitle(note: Note): string {
  const { content } = note;
  const text =
    content.kind === 'cloze'
      ? content.text
      : content.kind === 'image-occlusion'
        ? content.header
        : content.front;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text || '(image)';
}

const NOTE_ACTIONS: { action: CardAction; label: string }[] = [
  { action: 'suspend', label: 'Suspend' },
  { action: 'unsuspend', label: 'Unsuspend' },
  { action: 'bury', label: 'Bury until tomorrow' },
  { action: 'reset', label: 'Reset' },
];

function noteBadges(note: Note): string[] {
  return [
    ...(note.suspended > 0 ? ['Suspended'] : []),
    ...(note.buried > 0 ? ['Buried until tomorrow'] : []),
  ];
}

/** A deck's notes, each with edit and delete, and a selection that is suspended, reset, moved or deleted at once. */
function DeckNotes({ deck, decks }: { deck: Deck; decks: Deck[] }) {
  const notes = useNotes(deck.id);
  const act = useCardAction();
  const move = useMoveNotes();
  const remove = useDeleteNotes();
  const [editing, setEditing] = useState<Note | null>(null);
  const [deleting, setDeleting] = useState<string[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [moveTo, setMoveTo] = useState('');
  const moveId = useId();
  if (notes.isPending) return <Loading label="Loading cards" />;
  if (notes.isError)
    return <ErrorState error={notes.error} what="the cards" onRetry={() => void notes.refetch()} />;
  // A note deleted or moved elsewhere is no longer selected.
  const chosen = notes.data.filter((note) => selected.has(note.id)).map((note) => note.id);
  const toggle = (id: string) =>
    setSelected((before) => {
      const after = new Set(before);
      if (!after.delete(id)) after.add(id);
      return after;
    });
  const others = decks.filter((other) => other.id !== deck.id);
  const busy = act.isPending || move.isPending || remove.isPending;
  const failed = act.error ?? move.error ?? remove.error;
  return (
    <>
      {notes.data.length > 0 ? (
        <div className="study-bulk" role="toolbar" aria-label={`Selected cards in ${deck.name}`}>
          <label className="study-select-all">
            <input
              type="checkbox"
              checked={chosen.length === notes.data.length}
              onChange={(event) =>
                setSelected(new Set(event.target.checked ? notes.data.map((note) => note.id) : []))
              }
            />
            Select all
          </label>
          <span className="muted">{chosen.length} selected</span>
          {NOTE_ACTIONS.map(({ action, label }) => (
            <button
              key={action}
              type="button"
              className="button button-small"
              disabled={chosen.length === 0 || busy}
              onClick={() => act.mutate({ action, target: { noteIds: chosen } })}
            >
              {label}
            </button>
          ))}
          {others.length > 0 ? (
            <>
              <label htmlFor={moveId} className="visually-hidden">
                Move to deck
              </label>
              <select id={moveId} value={moveTo} onChange={(event) => setMoveTo(event.target.value)}>
                <option value="">Move to…</option>
                {others.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button button-small"
                disabled={chosen.length === 0 || !moveTo || busy}
                onClick={() =>
                  move.mutate({ ids: chosen, deckId: moveTo }, { onSuccess: () => setSelected(new Set()) })
                }
              >
                Move
              </button>
            </>
          ) : null}
          <button
            type="button"
            className="button button-small"
            disabled={chosen.length === 0 || busy}
            onClick={() => setDeleting(chosen)}
          >
            Delete selected
          </button>
        </div>
      ) : null}
      {failed ? (
        <p className="text-error" role="alert">
          {failed.message}
        </p>
      ) : null}
      <ul className="study-notes" aria-label={`Cards in ${deck.name}`}>
        {notes.data.map((note) => (
          <li key={note.id} className="study-note" aria-label={noteTitle(note)}>
            <input
              type="checkbox"
              aria-label={`Select “${noteTitle(note)}”`}
              checked={selected.has(note.id)}
              onChange={() => toggle(note.id)}
            />
            <span className="study-note-text">{noteTitle(note)}</span>
            {noteBadges(note).map((badge) => (
              <span key={badge} className="study-badge">
                {badge}
              </span>
            ))}
            <span className="muted">{note.cards === 1 ? '1 card' : `${note.cards} cards`}</span>
            <button type="button" className="button button-small" onClick={() => setEditing(note)}>
              Edit
            </button>
            <button type="button" className="button button-small" onClick={() => setDeleting([note.id])}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {editing ? (
        <NoteEditorDialog
          note={editing}
          target={{ classId: deck.classId }}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={deleting.length === 1 ? 'Delete this card?' : `Delete ${deleting.length} cards?`}
          confirmLabel="Delete"
          busy={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate(deleting, {
              onSuccess: () => setSelected(new Set()),
              onSettled: () => setDeleting(null),
            })
          }
        >
          {deleting.length === 1
            ? `“${noteTitle(notes.data.find((note) => note.id === deleting[0]) ?? notes.data[0]!)}” and its review history will be deleted.`
            : `These ${deleting.length} cards and their review history will be deleted.`}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** Export deck: a save dialog in the desktop app, a download in the browser; says where it went. */
function ExportDeckButton({ deck }: { deck: Deck }) {
  const exportDeck = useExportDeck();
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={exportDeck.isPending}
        onClick={() => exportDeck.mutate({ deck })}
      >
        {exportDeck.isPending ? 'Exporting…' : 'Export deck'}
      </button>
      {exportDeck.isError ? (
        <p className="text-error" role="alert">
          Not exported: {exportDeck.error.message}
        </p>
      ) : null}
      {exportDeck.data ? (
        <p className="muted" role="status">
          Exported to {exportDeck.data}
        </p>
      ) : null}
    </>
  );
}

function DeckRow({ deck, decks, className }: { deck: Deck; decks: Deck[]; className: string | null }) {
  const [open, setOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  return (
    <li className="study-deck card" aria-label={deck.name}>
      <div className="study-deck-head">
        <div>
          <h2 className="card-title">{deck.name}</h2>
          <p className="muted">
            {className ? `${className} · ` : ''}
            {deck.cards === 1 ? '1 card' : `${deck.cards} cards`}
          </p>
        </div>
        <p className="study-progress" aria-label={`Due in ${deck.name}`}>
          <span className="study-count study-count-new">New {deck.due.new}</span>
          <span className="study-count study-count-learning">Learning {deck.due.learning}</span>
          <span className="study-count study-count-review">Review {deck.due.review}</span>
        </p>
        <div className="study-deck-actions">
          {dueTotal(deck) > 0 ? (
            <Link className="button button-primary" to={reviewPath({ deckId: deck.id })}>
              Study
            </Link>
          ) : null}
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add card
          </button>
          <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide cards' : 'Show cards'}
          </button>
          <Link
            className="button"
            to={statsPath({ deckId: deck.id })}
            aria-label={`Statistics of ${deck.name}`}
          >
            Statistics
          </Link>
          <ExportDeckButton deck={deck} />
        </div>
      </div>
      {deck.classId ? <ExamReadiness deck={deck} /> : null}
      {open ? <DeckNotes deck={deck} decks={decks} /> : null}
      {adding ? (
        <NoteEditorDialog
          target={{ deckId: deck.id, classId: deck.classId }}
          onClose={() => setAdding(false)}
        />
      ) : null}
    </li>
  );
}

function ImportResult({ summary }: { summary: ImportSummary }) {
  return (
    <div className="study-import-result" role="status">
      <p>
        Imported {summary.notes} {summary.notes === 1 ? 'note' : 'notes'} ({summary.cards} cards,{' '}
        {summary.reviews} past reviews, {summary.media} media files) into {summary.decks}{' '}
        {summary.decks === 1 ? 'deck' : 'decks'}.
        {summary.skipped > 0 ? ` ${summary.skipped} notes were already here and were left as they are.` : ''}
      </p>
      {summary.warnings.length > 0 ? (
        <ul>
          {summary.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Decks per class with what is due today, a way into a review session, new cards and Anki imports. */
export function StudyPage() {
  const [params, setParams] = useSearchParams();
  const scope = scopeFromParams(params);
  const decks = useDecks({ classId: scope.classId });
  const classes = useClasses(true);
  const importDeck = useImportDeck();
  const [adding, setAdding] = useState(false);
  // A search hit on a card opens its note here (`?note=<id>`).
  const noteId = params.get('note');
  const opened = useNote(noteId);
  const closeNote = () =>
    setParams((before) => {
      const after = new URLSearchParams(before);
      after.delete('note');
      return after;
    });
  const fileInput = useRef<HTMLInputElement>(null);
  const filterId = useId();
  const classById = new Map((classes.data ?? []).map((cls: StudyClass) => [cls.id, cls.name]));
  const targetClass = scope.classId ?? null;
  const total = (decks.data ?? []).reduce(
    (sum, deck) => ({
      new: sum.new + deck.due.new,
      learning: sum.learning + deck.due.learning,
      review: sum.review + deck.due.review,
    }),
    { new: 0, learning: 0, review: 0 },
  );
  const due = dueTotal({ due: total });

  return (
    <>
      <PageHeader
        title="Study"
        description="Flashcards scheduled by FSRS: each card comes back just before you would forget it."
        actions={
          <>
            <button
              type="button"
              className="button"
              onClick={() => fileInput.current?.click()}
              disabled={importDeck.isPending}
            >
              {importDeck.isPending ? 'Importing…' : 'Import Anki deck'}
            </button>
            <button type="button" className="button" onClick={() => setAdding(true)}>
              New card
            </button>
            <Link className="button" to={statsPath({ classId: scope.classId })}>
              Statistics
            </Link>
          </>
        }
      />
      <input
        ref={fileInput}
        type="file"
        accept=".apkg,.colpkg"
        hidden
        aria-label="Anki package to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) importDeck.mutate({ file, classId: targetClass });
        }}
      />
      <div className="study-toolbar">
        <label htmlFor={filterId}>Class</label>
        <select
          id={filterId}
          value={scope.classId === undefined ? 'all' : (scope.classId ?? 'none')}
          onChange={(event) => {
            const value = event.target.value;
            setParams(value === 'all' ? {} : { class: value });
          }}
        >
          <option value="all">All classes</option>
          <option value="none">No class</option>
          {(classes.data ?? []).map((cls) => (
            <option key={cls.id} value={cls.id}>
              {cls.name}
            </option>
          ))}
        </select>
      </div>
      {importDeck.isError ? (
        <p className="text-error" role="alert">
          Not imported: {importDeck.error.message}
        </p>
      ) : null}
      {importDeck.data ? <ImportResult summary={importDeck.data} /> : null}
      <section className="study-summary card" aria-label="Due today">
        <p className="study-due-total">
          <strong>{due}</strong> {due === 1 ? 'card' : 'cards'} to study today
        </p>
        <p className="study-progress">
          <span className="study-count study-count-new">New {total.new}</span>
          <span className="study-count study-count-learning">Learning {total.learning}</span>
          <span className="study-count study-count-review">Review {total.review}</span>
        </p>
        {due > 0 ? (
          <Link className="button button-primary" to={reviewPath({ classId: scope.classId })}>
            Study now
          </Link>
        ) : null}
      </section>
      {decks.isPending ? <Loading label="Loading your decks" /> : null}
      {decks.isError ? (
        <ErrorState error={decks.error} what="your decks" onRetry={() => void decks.refetch()} />
      ) : null}
      {decks.data?.length === 0 ? (
        <EmptyState title="No flashcards yet">
          Add a card, or import a deck you made in Anki (.apkg).
        </EmptyState>
      ) : null}
      {decks.data && decks.data.length > 0 ? (
        <ul className="study-decks">
          {decks.data.map((deck) => (
            <DeckRow
              key={deck.id}
              deck={deck}
              decks={decks.data}
              className={deck.classId ? (classById.get(deck.classId) ?? null) : null}
            />
          ))}
        </ul>
      ) : null}
      {adding ? (
        <NoteEditorDialog target={{ classId: targetClass }} onClose={() => setAdding(false)} />
      ) : null}
      {noteId && opened.isError ? (
        <p className="text-error" role="alert">
          That card could not be opened: {opened.error.message}
        </p>
      ) : null}
      {opened.data && noteId ? (
        <NoteEditorDialog
          key={opened.data.id}
          note={opened.data}
          target={{ classId: targetClass }}
          onClose={closeNote}
        />
      ) : null}
    </>
  );
}
