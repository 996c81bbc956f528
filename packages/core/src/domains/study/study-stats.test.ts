/**
 * The Statistics numbers through the engine's dispatcher on a real database, from answers given
 * on several days (the clock is moved back for the earlier ones): reviews and minutes per day,
 * true retention, the streak, card states and the due forecast, per class and per deck.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Deck, Note, StudyClass, StudyStats } from '../../contract/index.js';
import { openTestCore, tempDir, type TestCore } from '../../test-support/temp-core.js';
import { DAY_MS, studyDayOf } from './scheduling/study-day.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let history: StudyClass;

beforeAll(async () => {
  dir = tempDir('lm-study-stats-');
  core = await openTestCore(join(dir.path, 'data'));
  history = await core.value<StudyClass>('classes.create', { name: 'History' });
});

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The engine's clock (Date.now) runs `days` behind, as if the student answered then. */
const realNow = Date.now.bind(Date);
const daysAgo = (days: number) => vi.spyOn(Date, 'now').mockImplementation(() => realNow() - days * DAY_MS);

const dateOf = (at: number) => new Date(studyDayOf(at) * DAY_MS).toISOString().slice(0, 10);
const cardOf = async (noteId: string, deckId: string) => {
  // The deck's only new card made by this note: the session shows new cards in the order they were made.
  const next = await core.value<{ card: { id: string; noteId: string } | null }>('study.next', { deckId });
  expect(next.card?.noteId).toBe(noteId);
  return next.card!.id;
};
const answer = (cardId: string, rating: number, durationMs: number) =>
  core.value('study.answer', { cardId, rating, durationMs });

describe('study statistics', () => {
  it('counts answers per day, true retention, the streak and the card states', async () => {
    const tenDaysAgo = realNow() - 10 * DAY_MS;
    const yesterday = realNow() - DAY_MS;
    daysAgo(10);
    const cards: string[] = [];
    for (const [front, back] of [
      ['Year of the Battle of Hastings?', '1066'],
      ['Who signed the Magna Carta?', 'King John'],
      ['When did the Berlin Wall fall?', '1989'],
    ]) {
      const { note } = await core.value<{ note: Note }>('study.notes.create', {
        classId: history.id,
        content: { kind: 'basic', front, back },
      });
      const cardId = await cardOf(note.id, note.deckId);
      // Easy on a new card puts it straight into review, days away.
      await answer(cardId, 4, 30_000);
      cards.push(cardId);
    }
    daysAgo(1);
    await answer(cards[0]!, 1, 12_000);
    await answer(cards[1]!, 3, 6_000);
    await answer(cards[2]!, 3, 6_000);
    vi.restoreAllMocks();

    let stats = await core.value<StudyStats>('study.stats', { classId: history.id });
    expect(stats.reviewsPerDay).toEqual([
      { date: dateOf(tenDaysAgo), reviews: 3, minutes: 1.5 },
      { date: dateOf(yesterday), reviews: 3, minutes: 0.4 },
    ]);
    // Yesterday's three answers were to cards in review; one was Again.
    expect(stats.retention30Days).toBeCloseTo(2 / 3);
    expect(stats.retentionByMonth.reduce((sum, month) => sum + month.reviews, 0)).toBe(3);
    expect(stats.retentionByMonth.reduce((sum, month) => sum + month.passed, 0)).toBe(2);
    // Nothing answered today yet: the streak counts up to yesterday.
    expect(stats.streak).toBe(1);
    expect(stats.minutes30Days).toBe(1.9);
    expect(stats.states).toEqual({ new: 0, learning: 0, review: 2, relearning: 1, suspended: 0 });

    // The forgotten card, relearning since yesterday, is due today; answering it keeps the streak.
    expect(stats.forecast).toHaveLength(30);
    expect(stats.forecast[0]).toEqual({ date: dateOf(Date.now()), due: 1 });
    await answer(cards[0]!, 3, 4_000);
    await core.value('study.cards.suspend', { target: { cardIds: [cards[1]!] }, suspended: true });
    stats = await core.value<StudyStats>('study.stats', { classId: history.id });
    expect(stats.streak).toBe(2);
    expect(stats.reviewsPerDay.at(-1)).toEqual({ date: dateOf(Date.now()), reviews: 1, minutes: 0.1 });
    expect(stats.states).toEqual({ new: 0, learning: 0, review: 2, relearning: 0, suspended: 1 });
    expect(stats.forecast[0]!.due).toBe(0);
  });

  it('keeps to the scope: another deck’s answers and cards are not counted', async () => {
    const { note } = await core.value<{ note: Note }>('study.notes.create', {
      content: { kind: 'basic', front: 'Capital of Peru?', back: 'Lima' },
    });
    const cardId = await cardOf(note.id, note.deckId);
    await answer(cardId, 1, 2_000);
    const deck = await core.value<StudyStats>('study.stats', { deckId: note.deckId });
    expect(deck.reviewsPerDay).toEqual([{ date: dateOf(Date.now()), reviews: 1, minutes: 0 }]);
    expect(deck.states).toEqual({ new: 0, learning: 1, review: 0, relearning: 0, suspended: 0 });
    // Again on a new card: back in a minute, so due today.
    expect(deck.forecast[0]!.due).toBe(1);
    expect(deck.forecast.slice(1).every((day) => day.due === 0)).toBe(true);
    expect(deck.retention30Days).toBeNull();
    const classStats = await core.value<StudyStats>('study.stats', { classId: history.id });
    expect(classStats.states.learning).toBe(0);
  });

  it('refuses a deck id that is not one', async () => {
    const result = await core.dispatch('study.stats', { deckId: 'not-a-deck' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_INPUT');
    const decks = await core.value<Deck[]>('study.decks', {});
    expect(decks.length).toBeGreaterThan(0);
  });
});
