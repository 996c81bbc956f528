/**
 * What to show next in a review session, given what is due and what the day's limits allow:
 * learning cards first when their step is up (forgetting them is what steps prevent), then reviews
 * with new cards spread evenly among them, so a session never ends with a block of new cards.
 * When nothing else is left, a learning card due within the learn-ahead window is shown early
 * (as Anki does), rather than making the student wait a few minutes.
 */
import type { SchedulingOptions } from './scheduling-options.js';

/** How early a learning card may be shown when nothing else is left. */
export const LEARN_AHEAD_MS = 20 * 60_000;

export interface DueCounts {
  /** Learning and relearning cards whose step is up. */
  learningDue: number;
  /** Learning cards due later today, within the learn-ahead window. */
  learningSoon: number;
  /** Review cards due today (overdue included). */
  reviewsDue: number;
  /** New cards not yet studied (not suspended or buried). */
  newCards: number;
}

/** What the student did today, counted from the review log. */
export interface DayProgress {
  newStudied: number;
  reviewsDone: number;
}

export interface Remaining {
  learning: number;
  review: number;
  new: number;
}

export type QueueKind = 'learning' | 'review' | 'new';

/** Cards left today within the limits (learning cards are never limited: they are in progress). */
export function remainingToday(
  limits: Pick<SchedulingOptions, 'newCardsPerDay' | 'reviewsPerDay'>,
  due: DueCounts,
  done: DayProgress,
): Remaining {
  return {
    learning: due.learningDue,
    review: Math.min(due.reviewsDue, Math.max(0, limits.reviewsPerDay - done.reviewsDone)),
    new: Math.min(due.newCards, Math.max(0, limits.newCardsPerDay - done.newStudied)),
  };
}

/**
 * The kind of card to show next. `shownSinceNew` counts the reviews shown since the last new
 * card; a new card comes once that reaches the reviews-per-new-card ratio of what is left.
 */
export function nextKind(
  remaining: Remaining,
  learningSoon: number,
  shownSinceNew: number,
): QueueKind | null {
  if (remaining.learning > 0) return 'learning';
  if (remaining.review > 0 && remaining.new > 0) {
    // Reviews left are split into (new left + 1) equal runs, a new card between two runs.
    return shownSinceNew >= remaining.review / (remaining.new + 1) ? 'new' : 'review';
  }
  if (remaining.review > 0) return 'review';
  if (remaining.new > 0) return 'new';
  return learningSoon > 0 ? 'learning' : null;
}
