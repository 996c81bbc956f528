/**
 * Fits FSRS weights to the student's own review log with fsrs-rs (through
 * @open-spaced-repetition/binding) on a worker thread. A fifth of the cards (chosen by id, so the
 * split is stable) is held out: both the current and the fitted weights are scored on it
 * (log-loss, RMSE), and the fitted ones are kept only if they predict those reviews better.
 */
import { AppError } from '../../../contract/index.js';
import { runWorkerTask, workerScript, type ProgressReporter } from '../../../workers/worker-task.js';
import { seededFraction } from './load-balancer.js';
import type { AnswerRow, ReviewLogRow } from './review-log.js';
import { DEFAULT_ROLLOVER_HOUR, studyDayOf } from './study-day.js';

/** Fewer reviews than this fit noise, not the student (Anki asks for about as many). */
export const MIN_REVIEWS_TO_OPTIMISE = 400;
const HELD_OUT_SHARE = 0.2;

/** A card's answers since it was new, as [rating, days since the previous answer]. */
export type ReviewHistory = [rating: number, deltaDays: number][];

export interface ModelScore {
  logLoss: number;
  rmse: number;
}

export interface OptimisationResult {
  weights: number[];
  adopted: boolean;
  before: ModelScore;
  after: ModelScore;
  trainingItems: number;
  heldOutItems: number;
}

export interface OptimiserTask {
  train: ReviewHistory[];
  heldOut: ReviewHistory[];
  currentWeights: number[];
}

/**
 * The history fsrs-rs can learn from in one card's log: only answers since its last reset, and
 * only when it starts from new (a card first seen elsewhere has no first rating to learn from).
 */
export function trainingHistoryOf(
  rows: readonly ReviewLogRow[],
  rolloverHour = DEFAULT_ROLLOVER_HOUR,
): ReviewHistory {
  let answers: AnswerRow[] = [];
  for (const row of [...rows].sort((a, b) => a.at - b.at)) {
    if (row.kind === 'reset') answers = [];
    else if (row.kind === 'answer') answers.push(row);
  }
  if (answers[0]?.stateBefore !== 'new') return [];
  return answers.map((answer, index) => [
    answer.rating,
    index === 0 ? 0 : studyDayOf(answer.at, rolloverHour) - studyDayOf(answers[index - 1]!.at, rolloverHour),
  ]);
}

/**
 * The lengths of the prefixes of a history that are training items: one per review after the
 * first that came on a later day (what fsrs-rs predicts is recall after a gap).
 */
export function trainingItemLengths(history: ReviewHistory): number[] {
  return history.flatMap(([, delta], index) => (index > 0 && delta > 0 ? [index + 1] : []));
}

/** Splits cards' histories into training and held-out sets by card id. */
export function splitByCard(logsByCard: ReadonlyMap<string, readonly ReviewLogRow[]>) {
  const train: ReviewHistory[] = [];
  const heldOut: ReviewHistory[] = [];
  for (const [cardId, rows] of logsByCard) {
    const history = trainingHistoryOf(rows);
    if (history.length > 1)
      (seededFraction(`held-out:${cardId}`) < HELD_OUT_SHARE ? heldOut : train).push(history);
  }
  return { train, heldOut };
}

const itemCount = (histories: ReviewHistory[]) =>
  histories.reduce((sum, history) => sum + trainingItemLengths(history).length, 0);

export async function optimiseWeights(
  logsByCard: ReadonlyMap<string, readonly ReviewLogRow[]>,
  currentWeights: readonly number[],
  options: { signal: AbortSignal; onProgress?: ProgressReporter },
): Promise<OptimisationResult> {
  const { train, heldOut } = splitByCard(logsByCard);
  const total = itemCount(train) + itemCount(heldOut);
  const tooFew = () =>
    new AppError(
      'INVALID_INPUT',
      `Optimising needs at least ${MIN_REVIEWS_TO_OPTIMISE} reviews of cards you learned here; this deck has ${total}. Keep reviewing and try again later.`,
    );
  if (total < MIN_REVIEWS_TO_OPTIMISE || heldOut.length === 0) throw tooFew();
  const task: OptimiserTask = { train, heldOut, currentWeights: [...currentWeights] };
  return runWorkerTask<OptimisationResult>(
    workerScript(import.meta.url, 'optimizer-worker'),
    task,
    options,
  ).catch((error: unknown) => {
    // fsrs-rs refuses histories it cannot fit (too few later-day reviews): the same answer.
    if (error instanceof Error && error.message.includes('NotEnoughData')) throw tooFew();
    throw error;
  });
}
