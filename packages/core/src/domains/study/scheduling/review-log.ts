/**
 * The append-only review log: one row per answer, per reset and per schedule carried over from
 * another app. A card's scheduling state is never stored as truth; it is derived by replaying
 * its rows in order, so two devices that exchange rows arrive at the same state.
 */
import type { CardState, Rating } from '../../../contract/index.js';

export { RATING_NAMES, type CardState, type Rating } from '../../../contract/index.js';
export const RATINGS: readonly Rating[] = [1, 2, 3, 4];

interface LogRowBase {
  /** Globally unique (a UUID), so rows from two devices merge without clashes. */
  id: string;
  cardId: string;
  /** Epoch milliseconds. */
  at: number;
}

/** The student answered the card. */
export interface AnswerRow extends LogRowBase {
  kind: 'answer';
  rating: Rating;
  /** How long the card was on screen before the answer. */
  durationMs: number;
  stateBefore: CardState;
  /** The interval this answer chose, in days (0 while in learning steps). */
  scheduledDays: number;
  /** When the card is due next. Stored because load balancing and exam targets chose it. */
  due: number;
}

/** The card was made new again; its earlier answers no longer shape its memory. */
export interface ResetRow extends LogRowBase {
  kind: 'reset';
}

/**
 * A schedule set from outside the answers: the state an imported card had in the app it came
 * from. Stability and difficulty are null when that app had none (the replayed ones are kept).
 */
export interface ScheduleRow extends LogRowBase {
  kind: 'schedule';
  state: Exclude<CardState, 'new'>;
  due: number;
  stability: number | null;
  difficulty: number | null;
}

export type ReviewLogRow = AnswerRow | ResetRow | ScheduleRow;

/** Replay order: by time, ties broken by id so every device sorts identically. */
export function compareLogRows(a: ReviewLogRow, b: ReviewLogRow): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
