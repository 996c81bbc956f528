import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Deck, Note, StudyCard } from '@little-monster/core/contract';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Two new cards in one deck, answered in order; an answer takes a card off the queue, undo puts it back. */
function studyEngine() {
  const engine = createTestEngine();
  const deck: Deck = {
    id: crypto.randomUUID(),
    classId: null,
    name: 'Spanish',
    description: '',
    cards: 2,
    due: { new: 2, learning: 0, review: 0 },
    examTargetRecall: null,
  };
  const card = (front: string, back: string): StudyCard => {
    const now = Date.now();
    return {
      id: crypto.randomUUID(),
      noteId: crypto.randomUUID(),
      deckId: deck.id,
      state: 'new',
      front,
      back,
      nextDue: { 1: now + MINUTE, 2: now + 6 * MINUTE, 3: now + 10 * MINUTE, 4: now + 3 * DAY },
    };
  };
  const queue = [card('**el perro**', 'the dog'), card('la casa', 'the house')];
  const answered: StudyCard[] = [];
  const remaining = () => ({ new: queue.length, learning: 0, review: 0 });
  engine.handlers['study.decks'] = () => [{ ...deck, due: remaining() }];
  engine.handlers['study.next'] = () => ({ card: queue[0] ?? null, remaining: remaining() });
  engine.handlers['study.answer'] = ({ cardId }) => {
    const index = queue.findIndex((queued) => queued.id === cardId);
    if (index === -1) throw rpcError('NOT_FOUND', 'That card no longer exists.');
    answered.push(...queue.splice(index, 1));
    return { cardId, state: 'learning', due: Date.now() + 10 * MINUTE };
  };
  engine.handlers['study.undo'] = () => {
    const last = answered.pop();
    if (last) queue.unshift(last);
    return { cardId: last?.id ?? null };
  };
  return engine;
}

describe('Study page', () => {
  it('shows what is due today and opens a review session', async () => {
    const engine = studyEngine();
    const { user } = renderApp(engine, '/study');
    const due = await screen.findByRole('region', { name: 'Due today' });
    await waitFor(() => expect(due).toHaveTextContent('2 cards to study today'));
    expect(screen.getByRole('listitem', { name: 'Spanish' })).toHaveTextContent('New 2');
    await user.click(within(due).getByRole('link', { name: 'Study now' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Review' })).toBeInTheDocument();
  });

  it('reviews by keyboard: Space shows the answer with the next intervals, a digit rates, U undoes', async () => {
    const engine = studyEngine();
    const { user } = renderApp(engine, '/study/review');
    const card = await screen.findByRole('region', { name: 'Flashcard' });
    expect(within(card).getByLabelText('Question')).toHaveTextContent('el perro');
    expect(within(card).queryByLabelText('Answer')).not.toBeInTheDocument();
    // A digit before the answer is shown rates nothing.
    await user.keyboard('3');
    expect(engine.callsTo('study.answer')).toHaveLength(0);

    await user.keyboard(' ');
    expect(within(card).getByLabelText('Answer')).toHaveTextContent('the dog');
    const ratings = within(card).getByRole('group', { name: 'How well did you remember?' });
    expect(within(ratings).getByRole('button', { name: /Again/ })).toHaveTextContent('1m');
    expect(within(ratings).getByRole('button', { name: /Good/ })).toHaveTextContent('10m');
    expect(within(ratings).getByRole('button', { name: /Easy/ })).toHaveTextContent('3d');

    await user.keyboard('3');
    await waitFor(() => expect(within(card).getByLabelText('Question')).toHaveTextContent('la casa'));
    expect(engine.callsTo('study.answer')).toEqual([
      expect.objectContaining({ rating: 3, durationMs: expect.any(Number) }),
    ]);
    expect(screen.getByLabelText('Cards left today')).toHaveTextContent('New 1');

    await user.keyboard('u');
    await waitFor(() => expect(within(card).getByLabelText('Question')).toHaveTextContent('el perro'));
    expect(screen.getByLabelText('Cards left today')).toHaveTextContent('New 2');

    await user.keyboard(' 4');
    await screen.findByText('la casa');
    await user.keyboard(' 1');
    expect(await screen.findByText('Nothing left to study today')).toBeInTheDocument();
    expect(screen.getByText(/You answered 2 cards/)).toBeInTheDocument();
  });

  it('keeps the card editor open with the reason when the engine refuses a note', async () => {
    const engine = studyEngine();
    engine.handlers['study.notes.create'] = () => {
      throw rpcError('INVALID_INPUT', 'A cloze deletion is not closed. Close every {{c1::…}} with }}.');
    };
    const { user } = renderApp(engine, '/study');
    await user.click(await screen.findByRole('button', { name: 'New card' }));
    const dialog = screen.getByRole('dialog', { name: 'New card' });
    await user.selectOptions(within(dialog).getByLabelText('Type'), 'cloze');
    await user.type(within(dialog).getByLabelText('Text'), 'The {{{{c1::cell');
    expect(within(dialog).getByRole('region', { name: 'Preview' })).toHaveTextContent('The {{c1::cell');
    await user.click(within(dialog).getByRole('button', { name: 'Add card' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('is not closed');
  });

  it('adds a note and says when another card already asks the same', async () => {
    const engine = studyEngine();
    const note: Note = {
      id: crypto.randomUUID(),
      deckId: crypto.randomUUID(),
      content: { kind: 'basic', front: 'el perro', back: 'the dog' },
      tags: [],
      cards: 1,
      suspended: 0,
      buried: 0,
      createdAt: 0,
      updatedAt: 0,
    };
    engine.handlers['study.notes.create'] = () => ({ note, duplicateOf: crypto.randomUUID() });
    const { user } = renderApp(engine, '/study');
    await user.click(await screen.findByRole('button', { name: 'New card' }));
    const dialog = screen.getByRole('dialog', { name: 'New card' });
    await user.type(within(dialog).getByLabelText('Front'), 'el perro');
    await user.type(within(dialog).getByLabelText('Back'), 'the dog');
    await user.click(within(dialog).getByRole('button', { name: 'Add card' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('already asks the same question');
    expect(engine.callsTo('study.notes.create')).toEqual([
      expect.objectContaining({
        content: { kind: 'basic', front: 'el perro', back: 'the dog' },
        classId: null,
      }),
    ]);
  });
});
