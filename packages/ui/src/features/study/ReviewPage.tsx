import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatInterval, RATING_NAMES, type Rating, type StudyScope } from '@little-monster/core/contract';
import { Dialog } from '../../app/components/Dialog';
import { PageHeader } from '../../app/components/PageHeader';
import { ErrorState, Loading } from '../../app/components/States';
import { useUiStoreApi } from '../../app/ui-store';
import { isTyping } from '../../app/use-go-shortcuts';
import { CardMarkdown } from './CardMarkdown';
import { NoteEditorDialog } from './NoteEditorDialog';
import { useAnswer, useCardAction, useNextCard, useNote, useUndo } from './queries';
import { scopeFromParams, studyPath } from './study-links';

const RATINGS: readonly Rating[] = [1, 2, 3, 4];

const REVIEW_KEYS: { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Show the answer' },
  { keys: '1 2 3 4', does: 'Rate it: Again, Hard, Good, Easy' },
  { keys: 'U', does: 'Take the last answer back' },
  { keys: 'E', does: 'Edit this card' },
  { keys: 'S', does: 'Suspend this card (it is not shown until you unsuspend it)' },
  { keys: 'B', does: 'Bury this card until tomorrow' },
  { keys: '?', does: 'Show these shortcuts' },
];

function ReviewShortcuts({ onClose }: { onClose(): void }) {
  return (
    <Dialog title="Review shortcuts" onClose={onClose}>
      <dl className="shortcut-list">
        {REVIEW_KEYS.map(({ keys, does }) => (
          <div key={keys} className="shortcut-row">
            <dt>{does}</dt>
            <dd>
              <kbd>{keys}</kbd>
            </dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** A review session: Space shows the answer, 1-4 rate it, U undoes, E edits, S suspends, B buries, ? lists the keys. */
export function ReviewPage() {
  const [params] = useSearchParams();
  const scope: StudyScope = scopeFromParams(params);
  const next = useNextCard(scope);
  const answer = useAnswer();
  const undo = useUndo();
  const act = useCardAction();
  const store = useUiStoreApi();
  const [editingNoteId, setEditingNoteId] = useState<string | null>(null);
  const editing = useNote(editingNoteId);
  const [showKeys, setShowKeys] = useState(false);
  const [setAside, setSetAside] = useState<string | null>(null);
  const [revealedId, setRevealedId] = useState<string | null>(null);
  const [answered, setAnswered] = useState(0);
  const shown = useRef<{ id: string; at: number } | null>(null);
  const card = next.data?.card ?? null;
  const revealed = card !== null && revealedId === card.id;
  const reveal = useCallback(() => setRevealedId(card?.id ?? null), [card]);
  const busy = answer.isPending || undo.isPending || act.isPending || next.isFetching;

  // How long the card was on screen is part of its review-log row.
  useEffect(() => {
    if (card) shown.current = { id: card.id, at: Date.now() };
  }, [card]);

  const rate = useCallback(
    (rating: Rating) => {
      if (!card || !revealed || busy) return;
      const since = shown.current?.id === card.id ? shown.current.at : Date.now();
      answer.mutate(
        { cardId: card.id, rating, durationMs: Math.min(Date.now() - since, 86_400_000) },
        {
          onSuccess: () => {
            setAnswered((count) => count + 1);
            setSetAside(null);
          },
        },
      );
    },
    [answer, busy, card, revealed],
  );
  const takeBack = useCallback(() => {
    if (busy) return;
    undo.mutate(scope, {
      onSuccess: ({ cardId }) => cardId && setAnswered((count) => Math.max(0, count - 1)),
    });
  }, [busy, scope, undo]);

  /** Suspends or buries the card on screen; the next one comes. */
  const putAside = useCallback(
    (action: 'suspend' | 'bury') => {
      if (!card || busy) return;
      act.mutate(
        { action, target: { cardIds: [card.id] } },
        {
          onSuccess: () =>
            setSetAside(
              action === 'suspend'
                ? 'Card suspended. Unsuspend it from its deck’s card list.'
                : 'Card buried until tomorrow.',
            ),
        },
      );
    },
    [act, busy, card],
  );

  // "?" is this page's own sheet: caught before the app's shortcut sheet, which it replaces here.
  useEffect(() => {
    const onHelp = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      if (store.getState().modalCount > 0) return;
      event.preventDefault();
      setShowKeys(true);
    };
    window.addEventListener('keydown', onHelp, true);
    return () => window.removeEventListener('keydown', onHelp, true);
  }, [store]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      // Keys typed into a dialog (the editor, the shortcut sheet) are the dialog's.
      if (store.getState().modalCount > 0) return;
      const key = event.key.toLowerCase();
      if (key === 'e' && card) {
        event.preventDefault();
        setEditingNoteId(card.noteId);
      } else if (key === 's' && card) {
        event.preventDefault();
        putAside('suspend');
      } else if (key === 'b' && card) {
        event.preventDefault();
        putAside('bury');
      } else if (event.key === ' ' && card && !revealed) {
        event.preventDefault();
        reveal();
      } else if (['1', '2', '3', '4'].includes(event.key)) {
        event.preventDefault();
        rate(Number(event.key) as Rating);
      } else if (event.key === 'u' || event.key === 'U') {
        event.preventDefault();
        takeBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [card, revealed, reveal, rate, takeBack, putAside, store]);

  const remaining = next.data?.remaining;
  return (
    <>
      <PageHeader
        title="Review"
        actions={
          <Link className="button" to={studyPath(scope)}>
            End session
          </Link>
        }
      />
      {remaining ? (
        <p className="study-progress" aria-label="Cards left today">
          <span className="study-count study-count-new">New {remaining.new}</span>
          <span className="study-count study-count-learning">Learning {remaining.learning}</span>
          <span className="study-count study-count-review">Review {remaining.review}</span>
        </p>
      ) : null}
      {next.isPending ? <Loading label="Finding your next card" /> : null}
      {next.isError ? (
        <ErrorState error={next.error} what="the next card" onRetry={() => void next.refetch()} />
      ) : null}
      {answer.isError ? <p className="text-error">{answer.error.message}</p> : null}
      {act.isError ? (
        <p className="text-error" role="alert">
          {act.error.message}
        </p>
      ) : null}
      {setAside && !act.isError ? (
        <p className="muted" role="status">
          {setAside}
        </p>
      ) : null}
      {next.data && !card ? (
        <section className="study-done card" aria-live="polite">
          <h2 className="card-title">Nothing left to study today</h2>
          <p>
            {answered > 0
              ? `You answered ${answered} ${answered === 1 ? 'card' : 'cards'} in this session. `
              : ''}
            Come back tomorrow for the next reviews.
          </p>
          <Link className="button button-primary" to={studyPath(scope)}>
            Back to your decks
          </Link>
        </section>
      ) : null}
      {card ? (
        <section className="study-card card" aria-label="Flashcard">
          <div className="study-side" aria-label="Question">
            <CardMarkdown text={card.front} />
          </div>
          {revealed ? (
            <>
              <hr className="study-divider" />
              <div className="study-side" aria-label="Answer">
                <CardMarkdown text={card.back} />
              </div>
              <div className="study-ratings" role="group" aria-label="How well did you remember?">
                {RATINGS.map((rating) => (
                  <button
                    key={rating}
                    type="button"
                    className={`button study-rate study-rate-${rating}`}
                    disabled={busy}
                    onClick={() => rate(rating)}
                    aria-keyshortcuts={String(rating)}
                  >
                    <span className="study-interval">
                      {formatInterval(next.dataUpdatedAt, card.nextDue[rating])}
                    </span>
                    <span>{RATING_NAMES[rating]}</span>
                    <kbd>{rating}</kbd>
                  </button>
                ))}
              </div>
            </>
          ) : (
            <button
              type="button"
              className="button button-primary study-reveal"
              onClick={reveal}
              aria-keyshortcuts="Space"
            >
              Show answer <kbd>Space</kbd>
            </button>
          )}
          <p className="study-keys muted">
            Space shows the answer, 1-4 rate it, U takes the last answer back, ? lists every key.{' '}
            <button type="button" className="button button-small" onClick={takeBack} disabled={busy}>
              Undo last answer
            </button>
          </p>
          <div className="study-card-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => setEditingNoteId(card.noteId)}
              aria-keyshortcuts="E"
            >
              Edit <kbd>E</kbd>
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => putAside('suspend')}
              disabled={busy}
              aria-keyshortcuts="S"
            >
              Suspend <kbd>S</kbd>
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => putAside('bury')}
              disabled={busy}
              aria-keyshortcuts="B"
            >
              Bury until tomorrow <kbd>B</kbd>
            </button>
          </div>
        </section>
      ) : null}
      {editing.isError && editingNoteId ? (
        <p className="text-error" role="alert">
          This card could not be opened for editing: {editing.error.message}
        </p>
      ) : null}
      {editing.data && editingNoteId ? (
        <NoteEditorDialog
          key={editing.data.id}
          note={editing.data}
          target={{ classId: null }}
          onClose={() => setEditingNoteId(null)}
        />
      ) : null}
      {showKeys ? <ReviewShortcuts onClose={() => setShowKeys(false)} /> : null}
    </>
  );
}
