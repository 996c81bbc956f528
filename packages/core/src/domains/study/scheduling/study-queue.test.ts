import { describe, expect, it } from 'vitest';
import { nextKind, remainingToday, type QueueKind, type Remaining } from './study-queue.js';

const limits = { newCardsPerDay: 10, reviewsPerDay: 50 };

describe('daily limits', () => {
  it('caps new cards and reviews by what was already studied today', () => {
    const due = { learningDue: 3, learningSoon: 1, reviewsDue: 80, newCards: 200 };
    expect(remainingToday(limits, due, { newStudied: 4, reviewsDone: 45 })).toEqual({
      learning: 3,
      review: 5,
      new: 6,
    });
    expect(remainingToday(limits, due, { newStudied: 12, reviewsDone: 60 })).toEqual({
      learning: 3,
      review: 0,
      new: 0,
    });
    expect(
      remainingToday(limits, { ...due, reviewsDue: 2, newCards: 1 }, { newStudied: 0, reviewsDone: 0 }),
    ).toEqual({
      learning: 3,
      review: 2,
      new: 1,
    });
  });
});

describe('the next card of a session', () => {
  /** Plays a whole session: each shown card is answered and leaves the queue. */
  function session(start: Remaining, learningSoon = 0): QueueKind[] {
    const left = { ...start };
    const shown: QueueKind[] = [];
    let sinceNew = 0;
    for (
      let kind = nextKind(left, learningSoon, sinceNew);
      kind;
      kind = nextKind(left, learningSoon, sinceNew)
    ) {
      shown.push(kind);
      if (kind === 'learning' && left.learning === 0) learningSoon -= 1;
      else left[kind] -= 1;
      sinceNew = kind === 'new' ? 0 : kind === 'review' ? sinceNew + 1 : sinceNew;
    }
    return shown;
  }

  it('shows due learning cards first, then spreads new cards evenly among the reviews', () => {
    expect(session({ learning: 2, review: 6, new: 2 })).toEqual([
      'learning',
      'learning',
      'review',
      'review',
      'new',
      'review',
      'review',
      'new',
      'review',
      'review',
    ]);
  });

  it('shows a learning card early when nothing else is left, and stops when all is done', () => {
    expect(session({ learning: 0, review: 1, new: 0 }, 1)).toEqual(['review', 'learning']);
    expect(session({ learning: 0, review: 0, new: 0 })).toEqual([]);
  });
});
