/**
 * What a student does to cards besides answering them, through the engine's dispatcher on a real
 * database: suspend, bury until tomorrow, reset, and the bulk move and delete of a deck's list
 * (all or nothing), and cards in search: a card is found by its fields and opens by its note.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck, Note, SearchHit, StudyCard, StudyClass } from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { openTestCore, tempDir, type TestCore } from '../../test-support/temp-core.js';
import { studyDayOf } from './scheduling/study-day.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let db: Database.Database;
let chemistry: StudyClass;
let physics: StudyClass;

type Next = { card: StudyCard | null; remaining: { learning: number; review: number; new: number } };

beforeAll(async () => {
  dir = tempDir('lm-study-cards-');
  core = await openTestCore(join(dir.path, 'data'));
  db = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
  chemistry = await core.value<StudyClass>('classes.create', { name: 'Chemistry' });
  physics = await core.value<StudyClass>('classes.create', { name: 'Physics' });
});

afterAll(async () => {
  db?.close();
  await core?.close();
  dir?.remove();
});

async function addNote(classId: string, front: string, back: string): Promise<Note> {
  const { note } = await core.value<{ note: Note }>('study.notes.create', {
    classId,
    content: { kind: 'basic', front, back },
  });
  return note;
}

async function failure(method: string, input: unknown) {
  const result = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} succeeded`);
  return result.error;
}

const deckOf = async (classId: string) => (await core.value<Deck[]>('study.decks', { classId }))[0]!;
const logRows = (cardId: string) =>
  db.prepare('SELECT kind FROM study_review_log WHERE card_id = ? ORDER BY at').pluck().all(cardId);

describe('suspend, bury and reset', () => {
  it('a suspended card is never shown until it is unsuspended, and the deck counts it out', async () => {
    const water = await addNote(chemistry.id, 'Formula of water?', 'H2O');
    await addNote(chemistry.id, 'Formula of table salt?', 'NaCl');
    const deck = await deckOf(chemistry.id);
    expect(deck.due.new).toBe(2);

    const first = await core.value<Next>('study.next', { deckId: deck.id });
    expect(first.card!.noteId).toBe(water.id);
    expect(
      await core.value('study.cards.suspend', { target: { cardIds: [first.card!.id] }, suspended: true }),
    ).toEqual({ cards: 1 });
    const next = await core.value<Next>('study.next', { deckId: deck.id });
    expect(next.card!.front).toBe('Formula of table salt?');
    expect(next.remaining.new).toBe(1);
    const listed = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    expect(listed.find((note) => note.id === water.id)).toMatchObject({ suspended: 1, buried: 0 });

    await core.value('study.cards.suspend', { target: { noteIds: [water.id] }, suspended: false });
    expect((await deckOf(chemistry.id)).due.new).toBe(2);
  });

  it('a buried card is hidden for the rest of the day and its history is kept', async () => {
    const deck = await deckOf(chemistry.id);
    const { card } = await core.value<Next>('study.next', { deckId: deck.id });
    await core.value('study.answer', { cardId: card!.id, rating: 3, durationMs: 1200 });
    const again = await core.value<Next>('study.next', { deckId: deck.id });
    await core.value('study.cards.bury', { target: { cardIds: [card!.id, again.card!.id] } });
    const after = await core.value<Next>('study.next', { deckId: deck.id });
    expect(after.card).toBeNull();
    expect(after.remaining).toEqual({ new: 0, learning: 0, review: 0 });
    expect(logRows(card!.id)).toEqual(['answer']);
    const listed = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    expect(listed.map((note) => note.buried)).toEqual([1, 1]);
    // Buried until the next study day begins, not for ever.
    const day = db.prepare('SELECT buried_until_day FROM study_cards WHERE id = ?').pluck().get(card!.id);
    expect(day).toBe(studyDayOf(Date.now()) + 1);
  });

  it('a reset card is new again: its log keeps the answers and gains a reset row', async () => {
    const deck = await deckOf(chemistry.id);
    const [water] = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const cardId = db
      .prepare('SELECT id FROM study_cards WHERE note_id = ?')
      .pluck()
      .get(water!.id) as string;
    expect(db.prepare('SELECT state FROM study_cards WHERE id = ?').pluck().get(cardId)).not.toBe('new');
    await core.value('study.cards.reset', { target: { noteIds: [water!.id] } });
    expect(db.prepare('SELECT state, reps FROM study_cards WHERE id = ?').get(cardId)).toEqual({
      state: 'new',
      reps: 0,
    });
    expect(logRows(cardId)).toEqual(['answer', 'reset']);
  });

  it('refuses an empty selection or one naming a card that is gone, changing nothing', async () => {
    expect(await failure('study.cards.suspend', { target: {}, suspended: true })).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Choose at least one card.',
    });
    const deck = await deckOf(chemistry.id);
    const notes = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const error = await failure('study.cards.suspend', {
      target: { noteIds: [notes[0]!.id, '00000000-0000-4000-8000-000000000000'] },
      suspended: true,
    });
    expect(error.code).toBe('NOT_FOUND');
    expect(db.prepare('SELECT count(*) FROM study_cards WHERE suspended = 1').pluck().get()).toBe(0);
  });
});

describe('bulk move and delete', () => {
  it('moves notes with their history to a deck of another class', async () => {
    const from = await deckOf(chemistry.id);
    const notes = await core.value<Note[]>('study.notes.list', { deckId: from.id });
    await addNote(physics.id, 'Unit of force?', 'newton');
    const to = await deckOf(physics.id);
    const logBefore = db.prepare('SELECT count(*) FROM study_review_log').pluck().get();
    expect(
      await core.value('study.notes.move', { ids: notes.map((note) => note.id), deckId: to.id }),
    ).toEqual({ notes: 2 });
    expect((await deckOf(chemistry.id)).cards).toBe(0);
    expect((await deckOf(physics.id)).cards).toBe(3);
    expect(db.prepare('SELECT count(*) FROM study_review_log').pluck().get()).toBe(logBefore);
    // Search follows the move: the card is now filed under Physics.
    const { hits } = await core.value<{ hits: SearchHit[] }>('search.query', {
      query: 'table salt',
      kinds: ['card'],
      classId: physics.id,
    });
    expect(hits.map((hit) => hit.ref.id)).toContain(notes[1]!.id);
  });

  it('refuses to move to a deck that does not exist, and moves nothing', async () => {
    const deck = await deckOf(physics.id);
    const notes = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const error = await failure('study.notes.move', {
      ids: [notes[0]!.id],
      deckId: '00000000-0000-4000-8000-000000000000',
    });
    expect(error.code).toBe('NOT_FOUND');
    expect((await deckOf(physics.id)).cards).toBe(3);
  });

  it('deletes several notes with their cards and history, or none when one is gone', async () => {
    const deck = await deckOf(physics.id);
    const notes = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const gone = '00000000-0000-4000-8000-000000000000';
    expect((await failure('study.notes.deleteMany', { ids: [notes[0]!.id, gone] })).code).toBe('NOT_FOUND');
    expect((await deckOf(physics.id)).cards).toBe(3);

    const ids = notes.slice(0, 2).map((note) => note.id);
    await core.value('study.notes.deleteMany', { ids });
    expect((await core.value<Note[]>('study.notes.list', { deckId: deck.id })).map((n) => n.id)).toEqual([
      notes[2]!.id,
    ]);
    expect(
      db
        .prepare(`SELECT count(*) FROM study_review_log l JOIN study_cards c ON c.id = l.card_id`)
        .pluck()
        .get(),
    ).toBe(0);
    expect(db.prepare('SELECT count(*) FROM study_review_log').pluck().get()).toBe(0);
    const { hits } = await core.value<{ hits: SearchHit[] }>('search.query', {
      query: 'water',
      kinds: ['card'],
    });
    expect(hits).toEqual([]);
  });
});

describe('cards in search', () => {
  it('finds a card by words on its back, titled by its question, and opens its note', async () => {
    const note = await addNote(
      physics.id,
      'What does **Ohm’s law** state?',
      'Voltage equals current times resistance',
    );
    const { hits } = await core.value<{ hits: SearchHit[] }>('search.query', { query: 'resistance' });
    const hit = hits.find((found) => found.ref.kind === 'card');
    expect(hit).toMatchObject({ ref: { kind: 'card', id: note.id }, title: 'What does Ohm’s law state?' });
    expect(await core.value<Note>('study.notes.get', { id: hit!.ref.id })).toMatchObject({
      id: note.id,
      content: { back: 'Voltage equals current times resistance' },
    });
  });

  it('follows an edit: the old words no longer find it, the new ones do', async () => {
    const [note] = (await core.value<{ hits: SearchHit[] }>('search.query', { query: 'resistance' })).hits;
    await core.value('study.notes.update', {
      id: note!.ref.id,
      content: {
        kind: 'basic',
        front: 'What does Ohm’s law state?',
        back: 'V = IR, for a conductor at constant temperature',
      },
      tags: ['circuits'],
    });
    expect((await core.value<{ hits: SearchHit[] }>('search.query', { query: 'resistance' })).hits).toEqual(
      [],
    );
    const found = await core.value<{ hits: SearchHit[] }>('search.query', { query: 'conductor temperature' });
    expect(found.hits.map((hit) => hit.ref.id)).toEqual([note!.ref.id]);
  });

  it('indexes, at the next start, the cards an earlier version left out of search', async () => {
    const earlier = tempDir('lm-study-cards-earlier-');
    const data = join(earlier.path, 'data');
    try {
      let engine = await openTestCore(data);
      const biology = await engine.value<StudyClass>('classes.create', { name: 'Biology' });
      const { note } = await engine.value<{ note: Note }>('study.notes.create', {
        classId: biology.id,
        content: { kind: 'basic', front: 'Where does glycolysis happen?', back: 'In the cytoplasm' },
      });
      await engine.close();
      // As a version without cards in search left the database: the notes, no search source.
      const writable = new Database(join(data, DATABASE_FILE));
      writable.exec(`DELETE FROM chunks WHERE source_id IN (SELECT id FROM search_sources WHERE kind = 'card');
        DELETE FROM search_sources WHERE kind = 'card';`);
      writable.close();

      engine = await openTestCore(data);
      try {
        const { hits } = await engine.value<{ hits: SearchHit[] }>('search.query', { query: 'cytoplasm' });
        expect(hits).toEqual([
          expect.objectContaining({
            ref: { kind: 'card', id: note.id },
            title: 'Where does glycolysis happen?',
          }),
        ]);
        const inClass = await engine.value<{ hits: SearchHit[] }>('search.query', {
          query: 'cytoplasm',
          classId: biology.id,
        });
        expect(inClass.hits).toHaveLength(1);
      } finally {
        await engine.close();
      }
    } finally {
      earlier.remove();
    }
  });
});
