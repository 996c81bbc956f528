/**
 * What a student does to cards besides answering: suspend, bury and edit from the review session
 * by keyboard, the session's shortcut sheet, bulk actions on a deck's card list, exporting a deck
 * (a download in the browser mode, the save dialog in the desktop app), and a card opened from a
 * search hit.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardTarget, Deck, Note, StudyCard } from '@little-monster/core/contract';
import { fakeFiles } from '../../test-support/fake-files';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const MINUTE = 60_000;

function makeDeck(name: string): Deck {
  return {
    id: crypto.randomUUID(),
    classId: null,
    name,
    description: '',
    cards: 0,
    due: { new: 0, learning: 0, review: 0 },
    examTargetRecall: null,
  };
}

/**
 * Decks of notes with one card each, kept in memory: a suspended or buried card leaves the queue,
 * a move changes its deck, a delete removes it.
 */
function cardsEngine() {
  const engine = createTestEngine();
  const spanish = makeDeck('Spanish');
  const french = makeDeck('French');
  const decks = [spanish, french];
  type Held = { note: Note; cardId: string; suspended: boolean; buried: boolean };
  const held: Held[] = [];
  const add = (deck: Deck, front: string, back: string) =>
    held.push({
      note: {
        id: crypto.randomUUID(),
        deckId: deck.id,
        content: { kind: 'basic', front, back },
        tags: [],
        cards: 1,
        suspended: 0,
        buried: 0,
        createdAt: 0,
        updatedAt: 0,
      },
      cardId: crypto.randomUUID(),
      suspended: false,
      buried: false,
    });
  add(spanish, 'el perro', 'the dog');
  add(spanish, 'la casa', 'the house');
  add(spanish, 'el gato', 'the cat');
  const noteOf = (item: Held): Note => ({
    ...item.note,
    suspended: item.suspended ? 1 : 0,
    buried: item.buried ? 1 : 0,
  });
  const queue = () => held.filter((item) => !item.suspended && !item.buried);
  const due = (deck: Deck) => ({
    new: queue().filter((item) => item.note.deckId === deck.id).length,
    learning: 0,
    review: 0,
  });
  const chosen = ({ cardIds, noteIds }: CardTarget) => {
    const items = held.filter((item) => cardIds.includes(item.cardId) || noteIds.includes(item.note.id));
    if (items.length === 0) throw rpcError('INVALID_INPUT', 'Choose at least one card.');
    return items;
  };
  const toCard = (item: Held): StudyCard => {
    const now = Date.now();
    const content = item.note.content as { front: string; back: string };
    return {
      id: item.cardId,
      noteId: item.note.id,
      deckId: item.note.deckId,
      state: 'new',
      front: content.front,
      back: content.back,
      nextDue: { 1: now + MINUTE, 2: now + 6 * MINUTE, 3: now + 10 * MINUTE, 4: now + 3 * 86_400_000 },
    };
  };
  engine.handlers['study.decks'] = () =>
    decks.map((deck) => ({
      ...deck,
      cards: held.filter((item) => item.note.deckId === deck.id).length,
      due: due(deck),
    }));
  engine.handlers['study.notes.list'] = ({ deckId }) =>
    held.filter((item) => item.note.deckId === deckId).map(noteOf);
  engine.handlers['study.notes.get'] = ({ id }) => {
    const item = held.find((candidate) => candidate.note.id === id);
    if (!item) throw rpcError('NOT_FOUND', 'That card no longer exists. It may have been deleted.');
    return noteOf(item);
  };
  engine.handlers['study.notes.update'] = ({ id, content }) => {
    const item = held.find((candidate) => candidate.note.id === id)!;
    item.note = { ...item.note, content };
    return noteOf(item);
  };
  engine.handlers['study.next'] = () => {
    const [first] = queue();
    return { card: first ? toCard(first) : null, remaining: { new: queue().length, learning: 0, review: 0 } };
  };
  engine.handlers['study.cards.suspend'] = ({ target, suspended }) => {
    const items = chosen(target);
    for (const item of items) item.suspended = suspended;
    return { cards: items.length };
  };
  engine.handlers['study.cards.bury'] = ({ target }) => {
    const items = chosen(target);
    for (const item of items) item.buried = true;
    return { cards: items.length };
  };
  engine.handlers['study.cards.reset'] = ({ target }) => ({ cards: chosen(target).length });
  engine.handlers['study.notes.move'] = ({ ids, deckId }) => {
    for (const item of held) if (ids.includes(item.note.id)) item.note = { ...item.note, deckId };
    return { notes: ids.length };
  };
  engine.handlers['study.notes.deleteMany'] = ({ ids }) => {
    for (const id of ids)
      held.splice(
        held.findIndex((item) => item.note.id === id),
        1,
      );
    return { ids };
  };
  return { engine, spanish, french, held };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('review session keys', () => {
  it('S suspends and B buries the card on screen, and the next card comes', async () => {
    const { engine, held } = cardsEngine();
    const { user } = renderApp(engine, '/study/review');
    const card = await screen.findByRole('region', { name: 'Flashcard' });
    expect(within(card).getByLabelText('Question')).toHaveTextContent('el perro');

    await user.keyboard('s');
    await waitFor(() => expect(within(card).getByLabelText('Question')).toHaveTextContent('la casa'));
    expect(engine.callsTo('study.cards.suspend')).toEqual([
      { target: { cardIds: [held[0]!.cardId], noteIds: [] }, suspended: true },
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Card suspended');
    expect(screen.getByLabelText('Cards left today')).toHaveTextContent('New 2');

    await user.keyboard('b');
    await waitFor(() => expect(within(card).getByLabelText('Question')).toHaveTextContent('el gato'));
    expect(engine.callsTo('study.cards.bury')).toEqual([
      { target: { cardIds: [held[1]!.cardId], noteIds: [] } },
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Card buried until tomorrow');
  });

  it('says why when the engine refuses to suspend, and keeps the card', async () => {
    const { engine } = cardsEngine();
    engine.handlers['study.cards.suspend'] = () => {
      throw rpcError('NOT_FOUND', 'That card no longer exists. It may have been deleted.');
    };
    const { user } = renderApp(engine, '/study/review');
    const card = await screen.findByRole('region', { name: 'Flashcard' });
    await user.keyboard('s');
    expect(await screen.findByRole('alert')).toHaveTextContent('That card no longer exists');
    expect(within(card).getByLabelText('Question')).toHaveTextContent('el perro');
  });

  it('E opens the card in the editor, and the saved question is the one shown', async () => {
    const { engine } = cardsEngine();
    const { user } = renderApp(engine, '/study/review');
    const card = await screen.findByRole('region', { name: 'Flashcard' });
    await user.keyboard('e');
    const dialog = await screen.findByRole('dialog', { name: 'Edit card' });
    const front = within(dialog).getByLabelText('Front');
    expect(front).toHaveValue('el perro');
    // Keys typed in the editor are text, not review shortcuts.
    await user.clear(front);
    await user.type(front, 'el perro grande sb');
    expect(engine.callsTo('study.cards.suspend')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(within(card).getByLabelText('Question')).toHaveTextContent('el perro grande sb'),
    );
  });

  it('? lists the review keys instead of the app’s shortcut sheet', async () => {
    const { engine } = cardsEngine();
    const { user } = renderApp(engine, '/study/review');
    await screen.findByRole('region', { name: 'Flashcard' });
    await user.keyboard('?');
    const sheet = await screen.findByRole('dialog', { name: 'Review shortcuts' });
    expect(sheet).toHaveTextContent('Suspend this card');
    expect(sheet).toHaveTextContent('Bury this card until tomorrow');
    expect(sheet).toHaveTextContent('Edit this card');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
    // While the sheet is open, S does nothing to the card.
    await user.keyboard('s');
    expect(engine.callsTo('study.cards.suspend')).toHaveLength(0);
  });
});

describe('a deck’s card list', () => {
  async function openList(user: ReturnType<typeof renderApp>['user'], deck = 'Spanish') {
    const row = await screen.findByRole('listitem', { name: deck });
    await user.click(within(row).getByRole('button', { name: 'Show cards' }));
    return within(row).findByRole('list', { name: `Cards in ${deck}` });
  }

  it('suspends the selected cards at once and marks them', async () => {
    const { engine, held } = cardsEngine();
    const { user } = renderApp(engine, '/study');
    const list = await openList(user);
    await user.click(within(list).getByRole('checkbox', { name: 'Select “el perro”' }));
    await user.click(within(list).getByRole('checkbox', { name: 'Select “el gato”' }));
    const bar = screen.getByRole('toolbar', { name: 'Selected cards in Spanish' });
    expect(bar).toHaveTextContent('2 selected');
    await user.click(within(bar).getByRole('button', { name: 'Suspend' }));
    await waitFor(() =>
      expect(within(list).getByRole('listitem', { name: 'el perro' })).toHaveTextContent('Suspended'),
    );
    expect(within(list).getByRole('listitem', { name: 'el gato' })).toHaveTextContent('Suspended');
    expect(within(list).getByRole('listitem', { name: 'la casa' })).not.toHaveTextContent('Suspended');
    expect(engine.callsTo('study.cards.suspend')).toEqual([
      { target: { cardIds: [], noteIds: [held[0]!.note.id, held[2]!.note.id] }, suspended: true },
    ]);
    expect(screen.getByRole('listitem', { name: 'Spanish' })).toHaveTextContent('New 1');
  });

  it('moves the selected cards to another deck', async () => {
    const { engine, french } = cardsEngine();
    const { user } = renderApp(engine, '/study');
    const list = await openList(user);
    const bar = screen.getByRole('toolbar', { name: 'Selected cards in Spanish' });
    await user.click(within(bar).getByRole('checkbox', { name: 'Select all' }));
    await user.click(within(list).getByRole('checkbox', { name: 'Select “la casa”' }));
    await user.selectOptions(within(bar).getByLabelText('Move to deck'), 'French');
    await user.click(within(bar).getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(within(list).queryByText('el perro')).not.toBeInTheDocument());
    expect(within(list).getByText('la casa')).toBeInTheDocument();
    expect(engine.callsTo('study.notes.move')).toEqual([
      { ids: expect.arrayContaining([expect.any(String)]), deckId: french.id },
    ]);
    expect(screen.getByRole('listitem', { name: 'French' })).toHaveTextContent('2 cards');
  });

  it('deletes the selected cards after asking, and nothing when cancelled', async () => {
    const { engine } = cardsEngine();
    const { user } = renderApp(engine, '/study');
    const list = await openList(user);
    const bar = screen.getByRole('toolbar', { name: 'Selected cards in Spanish' });
    await user.click(within(list).getByRole('checkbox', { name: 'Select “el perro”' }));
    await user.click(within(list).getByRole('checkbox', { name: 'Select “la casa”' }));
    await user.click(within(bar).getByRole('button', { name: 'Delete selected' }));
    let confirm = screen.getByRole('dialog', { name: 'Delete 2 cards?' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(engine.callsTo('study.notes.deleteMany')).toHaveLength(0);

    await user.click(within(bar).getByRole('button', { name: 'Delete selected' }));
    confirm = screen.getByRole('dialog', { name: 'Delete 2 cards?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(within(list).getByRole('listitem')).toHaveTextContent('el gato');
  });

  it('shows the engine’s reason when a bulk action is refused', async () => {
    const { engine } = cardsEngine();
    engine.handlers['study.cards.reset'] = () => {
      throw rpcError('NOT_FOUND', 'That card no longer exists. It may have been deleted.');
    };
    const { user } = renderApp(engine, '/study');
    const list = await openList(user);
    await user.click(within(list).getByRole('checkbox', { name: 'Select “el perro”' }));
    await user.click(
      within(screen.getByRole('toolbar', { name: 'Selected cards in Spanish' })).getByRole('button', {
        name: 'Reset',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('That card no longer exists');
  });
});

describe('export and search', () => {
  it('in the browser, downloads the deck from the engine host under its name', async () => {
    const { engine, spanish } = cardsEngine();
    engine.transport.files = {
      ...fakeFiles(new Map()),
      deckExportUrl: (id) => `http://127.0.0.1:5123/exports/decks/${id}?token=test`,
    };
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    const { user } = renderApp(engine, '/study');
    const row = await screen.findByRole('listitem', { name: 'Spanish' });
    await user.click(within(row).getByRole('button', { name: 'Export deck' }));
    expect(await within(row).findByRole('status')).toHaveTextContent('Exported to Spanish.apkg');
    expect(clicked).toEqual([
      { href: `http://127.0.0.1:5123/exports/decks/${spanish.id}?token=test`, download: 'Spanish.apkg' },
    ]);
  });

  it('in the desktop app, writes the deck where the save dialog says, and nothing when cancelled', async () => {
    const { engine, spanish } = cardsEngine();
    let answer: string | null = null;
    engine.transport.localFiles = { pathOf: () => '', chooseDeckExportFile: () => Promise.resolve(answer) };
    engine.handlers['study.export'] = ({ path }) => {
      if (!path.endsWith('.apkg')) throw rpcError('INVALID_INPUT', 'Choose a file ending in .apkg.');
      return { path, notes: 3, cards: 3 };
    };
    const { user } = renderApp(engine, '/study');
    const row = await screen.findByRole('listitem', { name: 'Spanish' });
    await user.click(within(row).getByRole('button', { name: 'Export deck' }));
    await waitFor(() => expect(within(row).getByRole('button', { name: 'Export deck' })).toBeEnabled());
    expect(engine.callsTo('study.export')).toHaveLength(0);

    answer = '/home/ada/Spanish.apkg';
    await user.click(within(row).getByRole('button', { name: 'Export deck' }));
    expect(await within(row).findByRole('status')).toHaveTextContent('Exported to /home/ada/Spanish.apkg');
    expect(engine.callsTo('study.export')).toEqual([{ deckId: spanish.id, path: '/home/ada/Spanish.apkg' }]);

    answer = '/home/ada/Spanish.txt';
    await user.click(within(row).getByRole('button', { name: 'Export deck' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent(
      'Not exported: Choose a file ending in .apkg.',
    );
  });

  it('opens the card a search hit names in the editor', async () => {
    const { engine, held } = cardsEngine();
    renderApp(engine, `/study?note=${held[1]!.note.id}`);
    const dialog = await screen.findByRole('dialog', { name: 'Edit card' });
    expect(within(dialog).getByLabelText('Front')).toHaveValue('la casa');
  });

  it('says so when the card a link names is gone', async () => {
    const { engine } = cardsEngine();
    renderApp(engine, `/study?note=${crypto.randomUUID()}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('That card could not be opened');
  });
});
