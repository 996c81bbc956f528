/**
 * The study domain through the engine's dispatcher, on a real database: notes and their cards,
 * the due queue and answering (each answer one review-log row, the card's state replayed from its
 * log), undo, Anki import into a class and export back, and the refusals.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck, ExamForecast, ImportSummary, Note, StudyCard, StudyClass } from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { openTestCore, tempDir, type TestCore } from '../../test-support/temp-core.js';
import { openAnkiPackage } from './anki/read-anki-package.js';
import { biologyCollection } from './anki/test-support/biology-collection.js';
import { writeTestPackage } from './anki/test-support/anki-packages.js';
import { FsrsScheduler } from './scheduling/fsrs-scheduler.js';
import { DEFAULT_SCHEDULING_OPTIONS } from './scheduling/scheduling-options.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let db: Database.Database;
let biology: StudyClass;

type Next = { card: StudyCard | null; remaining: { learning: number; review: number; new: number } };

beforeAll(async () => {
  dir = tempDir('lm-study-');
  core = await openTestCore(join(dir.path, 'data'));
  db = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
  biology = await core.value<StudyClass>('classes.create', { name: 'Biology' });
});

afterAll(async () => {
  db?.close();
  await core?.close();
  dir?.remove();
});

const count = (table: string) => (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;

async function failure(method: string, input: unknown) {
  const result = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} succeeded`);
  return result.error;
}

describe('notes and cards', () => {
  let deck: Deck;

  it('puts a new note in its class deck, made on first use, and counts its card as new', async () => {
    const { note, duplicateOf } = await core.value<{ note: Note; duplicateOf: string | null }>(
      'study.notes.create',
      {
        classId: biology.id,
        content: { kind: 'basic', front: 'What does **DNA** stand for?', back: 'Deoxyribonucleic acid' },
        tags: ['genetics'],
      },
    );
    expect(duplicateOf).toBeNull();
    expect(note.cards).toBe(1);
    deck = (await core.value<Deck[]>('study.decks', { classId: biology.id }))[0]!;
    expect(deck).toMatchObject({
      name: 'Biology',
      classId: biology.id,
      cards: 1,
      due: { new: 1, review: 0, learning: 0 },
    });
    expect(note.deckId).toBe(deck.id);
  });

  it('says which note already asks the same first field', async () => {
    const [first] = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const { duplicateOf } = await core.value<{ duplicateOf: string | null }>('study.notes.create', {
      deckId: deck.id,
      content: { kind: 'basic-reversed', front: 'what does DNA stand for?', back: 'again' },
    });
    expect(duplicateOf).toBe(first!.id);
  });

  it('makes one card per cloze number, and keeps the cards (with their history) an edit still makes', async () => {
    const { note } = await core.value<{ note: Note }>('study.notes.create', {
      deckId: deck.id,
      content: { kind: 'cloze', text: 'The {{c1::nucleus}} holds {{c2::DNA}}', extra: '' },
    });
    expect(note.cards).toBe(2);
    const card = db
      .prepare('SELECT id FROM study_cards WHERE note_id = ? AND ordinal = 0')
      .pluck()
      .get(note.id);
    await core.value('study.answer', { cardId: card, rating: 3, durationMs: 4000 });
    const edited = await core.value<Note>('study.notes.update', {
      id: note.id,
      content: { kind: 'cloze', text: 'The {{c1::nucleus}} holds {{c3::chromosomes}}', extra: '' },
      tags: [],
    });
    expect(edited.cards).toBe(2);
    const ordinals = db
      .prepare('SELECT ordinal FROM study_cards WHERE note_id = ? ORDER BY ordinal')
      .pluck()
      .all(note.id);
    expect(ordinals).toEqual([0, 2]);
    expect(db.prepare('SELECT count(*) FROM study_review_log WHERE card_id = ?').pluck().get(card)).toBe(1);
  });

  it('refuses an open cloze, a cloze with nothing hidden and an empty question, storing nothing', async () => {
    const before = count('study_notes');
    expect(
      await failure('study.notes.create', {
        deckId: deck.id,
        content: { kind: 'cloze', text: 'The {{c1::cell', extra: '' },
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('}}') });
    expect(
      await failure('study.notes.create', {
        deckId: deck.id,
        content: { kind: 'cloze', text: 'No deletion here', extra: '' },
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('{{c1::') });
    expect(
      await failure('study.notes.create', {
        deckId: deck.id,
        content: { kind: 'basic', front: '  ', back: 'x' },
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('empty') });
    expect(count('study_notes')).toBe(before);
  });

  it('deletes a note with its cards and their review log', async () => {
    const notes = await core.value<Note[]>('study.notes.list', { deckId: deck.id });
    const cloze = notes.find((note) => note.content.kind === 'cloze')!;
    await core.value('study.notes.delete', { id: cloze.id });
    expect(db.prepare('SELECT count(*) FROM study_cards WHERE note_id = ?').pluck().get(cloze.id)).toBe(0);
    expect(count('study_review_log')).toBe(0);
    expect(await failure('study.notes.delete', { id: cloze.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a review session', () => {
  it('shows the next card with the due date of each answer, and an answer lowers the count by one', async () => {
    const start = await core.value<Next>('study.next', { classId: biology.id });
    expect(start.remaining.new).toBe(3);
    const card = start.card!;
    expect(card.front).toContain('DNA');
    // Again and Hard stay in learning steps (minutes away); Easy graduates to days.
    expect(card.nextDue[1]).toBeLessThan(card.nextDue[3]);
    expect(card.nextDue[4] - Date.now()).toBeGreaterThan(86_400_000);

    const answered = await core.value<{ state: string; due: number }>('study.answer', {
      cardId: card.id,
      rating: 3,
      durationMs: 5200,
    });
    expect(answered.state).toBe('learning');
    const after = await core.value<Next>('study.next', { classId: biology.id });
    expect(after.remaining).toEqual({ new: 2, learning: 0, review: 0 });
    expect(after.card!.id).not.toBe(card.id);

    const row = db.prepare('SELECT * FROM study_review_log WHERE card_id = ?').get(card.id) as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({ kind: 'answer', rating: 3, duration_ms: 5200, state_before: 'new' });
  });

  it('keeps the card state the replay of its log gives, the same as ts-fsrs on the same answers', async () => {
    const card = db.prepare("SELECT * FROM study_cards WHERE state = 'learning'").get() as Record<
      string,
      number
    >;
    const scheduler = new FsrsScheduler({ ...DEFAULT_SCHEDULING_OPTIONS });
    const rows = db.prepare('SELECT * FROM study_review_log WHERE card_id = ?').all(card.id) as Record<
      string,
      number
    >[];
    const replayed = scheduler.replay(
      rows.map((row) => ({
        kind: 'answer',
        id: String(row.id),
        cardId: String(row.card_id),
        at: row.at!,
        rating: row.rating as 3,
        durationMs: row.duration_ms!,
        stateBefore: 'new',
        scheduledDays: row.scheduled_days!,
        due: row.due!,
      })),
    );
    expect(card).toMatchObject({
      stability: replayed.stability,
      difficulty: replayed.difficulty,
      due: replayed.due,
    });
  });

  it('undo removes exactly the last answer and gives the card back its state', async () => {
    const { card } = await core.value<Next>('study.next', { classId: biology.id });
    await core.value('study.answer', { cardId: card!.id, rating: 4, durationMs: 1000 });
    const logBefore = count('study_review_log');
    const undone = await core.value<{ cardId: string }>('study.undo', { classId: biology.id });
    expect(undone.cardId).toBe(card!.id);
    expect(count('study_review_log')).toBe(logBefore - 1);
    expect(db.prepare('SELECT state, due FROM study_cards WHERE id = ?').get(card!.id)).toEqual({
      state: 'new',
      due: 0,
    });
    const again = await core.value<Next>('study.next', { classId: biology.id });
    expect(again.remaining.new).toBe(2);
  });

  it('refuses an answer to a card that does not exist, or a rating outside 1-4', async () => {
    expect(
      await failure('study.answer', { cardId: crypto.randomUUID(), rating: 3, durationMs: 0 }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    const { card } = await core.value<Next>('study.next', {});
    expect(await failure('study.answer', { cardId: card!.id, rating: 5, durationMs: 0 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('Anki packages', () => {
  let imported: ImportSummary;
  let history: StudyClass;

  it('imports a package into a class: decks, notes, cards, review history and media', async () => {
    history = await core.value<StudyClass>('classes.create', { name: 'Cell biology' });
    const path = join(dir.path, 'biology.apkg');
    await writeTestPackage(path, biologyCollection(), 'anki21b');
    imported = await core.value<ImportSummary>('study.import', {
      classId: history.id,
      source: { kind: 'path', path },
    });
    expect(imported).toMatchObject({ format: 'anki21b', skipped: 0, media: 2 });
    expect(imported.notes).toBeGreaterThan(2);
    expect(imported.reviews).toBeGreaterThan(5);
    expect(imported.warnings.length).toBeGreaterThan(0);
    const decks = await core.value<Deck[]>('study.decks', { classId: history.id });
    expect(decks.map((deck) => deck.name)).toContain('Biology::Cells');
    expect(decks.reduce((sum, deck) => sum + deck.cards, 0)).toBe(imported.cards);
    expect(count('study_media')).toBe(2);
    // A card's stored state is its log replayed with its deck's options.
    const reviewed = db
      .prepare(
        "SELECT * FROM study_cards WHERE state = 'review' AND deck_id IN (SELECT id FROM study_decks WHERE class_id = ?)",
      )
      .all(history.id);
    expect(reviewed.length).toBeGreaterThan(0);
  });

  it('leaves notes it already has when the same package comes again', async () => {
    const path = join(dir.path, 'biology.apkg');
    const again = await core.value<ImportSummary>('study.import', {
      classId: history.id,
      source: { kind: 'path', path },
    });
    expect(again).toMatchObject({ notes: 0, cards: 0, skipped: imported.notes });
  });

  it('refuses a file that is not an Anki package and stores nothing', async () => {
    const path = join(dir.path, 'notes.apkg');
    writeFileSync(path, 'just some text');
    const before = [count('study_notes'), count('study_decks'), count('study_cards')];
    expect(await failure('study.import', { classId: null, source: { kind: 'path', path } })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect([count('study_notes'), count('study_decks'), count('study_cards')]).toEqual(before);
  });

  it('exports a deck as an .apkg that reads back with its notes, review history and media', async () => {
    const [cells] = (await core.value<Deck[]>('study.decks', { classId: history.id })).filter(
      (deck) => deck.name === 'Biology::Cells',
    );
    const path = join(dir.path, 'out', '..', 'cells.apkg');
    const written = await core.value<{ notes: number; cards: number }>('study.export', {
      deckId: cells!.id,
      path,
    });
    expect(written.cards).toBe(cells!.cards);
    const pkg = await openAnkiPackage(path);
    try {
      const back = pkg.read();
      expect(back.notes).toHaveLength(written.notes);
      expect(back.notes.flatMap((note) => note.cards)).toHaveLength(cells!.cards);
      const answers = db
        .prepare(
          "SELECT count(*) FROM study_review_log WHERE kind = 'answer' AND card_id IN (SELECT id FROM study_cards WHERE deck_id = ?)",
        )
        .pluck()
        .get(cells!.id);
      expect(
        back.notes
          .flatMap((note) => note.cards.flatMap((card) => card.log))
          .filter((row) => row.kind === 'answer'),
      ).toHaveLength(answers as number);
      expect(pkg.media.map((media) => media.name)).toContain('mito cell.png');
    } finally {
      pkg.close();
    }
    expect(await failure('study.export', { deckId: cells!.id, path: 'relative.apkg' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('keeps the decks of a deleted class, in no class', async () => {
    await core.value('classes.delete', { id: history.id });
    const unfiled = await core.value<Deck[]>('study.decks', { classId: null });
    expect(unfiled.map((deck) => deck.name)).toContain('Biology::Cells');
  });
});

describe('exam-day targeting', () => {
  const DAY = 86_400_000;
  const localDate = (at: number) => {
    const date = new Date(at);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  };
  let deck: Deck;

  beforeAll(async () => {
    const chemistry = await core.value<StudyClass>('classes.create', {
      name: 'Chemistry',
      exams: [{ title: 'Midterm', date: localDate(Date.now() + 5 * DAY) }],
    });
    for (const front of ['Symbol of sodium?', 'Symbol of iron?', 'Symbol of gold?', 'Symbol of lead?'])
      await core.value('study.notes.create', {
        classId: chemistry.id,
        content: { kind: 'basic', front, back: '?' },
      });
    deck = (await core.value<Deck[]>('study.decks', { classId: chemistry.id }))[0]!;
  });

  async function answerNextEasy() {
    const { card } = await core.value<Next>('study.next', { deckId: deck.id });
    return core.value<{ due: number }>('study.answer', { cardId: card!.id, rating: 4, durationMs: 2000 });
  }
  const examStart = (forecast: ExamForecast) => new Date(`${forecast.exam!.date}T04:00`).getTime();

  it('forecasts recall on the exam day and the work each day until then', async () => {
    await answerNextEasy();
    const forecast = await core.value<ExamForecast>('study.examForecast', { deckId: deck.id });
    expect(forecast.exam).toMatchObject({ title: 'Midterm' });
    expect(forecast.days.length).toBeGreaterThanOrEqual(5);
    expect(forecast.days.reduce((sum, day) => sum + day.newCards, 0)).toBe(3);
    expect(forecast.recallWithoutStudy).toBeGreaterThan(0);
    // Three new cards count as forgotten without study; learning them raises the forecast.
    expect(forecast.expectedRecall!).toBeGreaterThan(forecast.recallWithoutStudy!);
    expect(forecast.warning).toBeNull();
  });

  it('without a target an easy card comes back after the exam; ready for the exam, before it', async () => {
    const forecast = await core.value<ExamForecast>('study.examForecast', { deckId: deck.id });
    const free = db
      .prepare("SELECT due FROM study_cards WHERE deck_id = ? AND state = 'review'")
      .pluck()
      .get(deck.id);
    expect(free as number).toBeGreaterThan(examStart(forecast));

    const updated = await core.value<Deck>('study.decks.update', {
      id: deck.id,
      patch: { examTargetRecall: 0.97 },
    });
    expect(updated.examTargetRecall).toBe(0.97);
    const { due } = await answerNextEasy();
    expect(due).toBeLessThan(examStart(forecast));
  });

  it('has no exam to forecast for a deck in no class, and refuses a target outside 50-99 %', async () => {
    const [unfiled] = await core.value<Deck[]>('study.decks', { classId: null });
    expect(await core.value<ExamForecast>('study.examForecast', { deckId: unfiled!.id })).toMatchObject({
      exam: null,
      expectedRecall: null,
    });
    expect(
      await failure('study.decks.update', { id: deck.id, patch: { examTargetRecall: 1.5 } }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
