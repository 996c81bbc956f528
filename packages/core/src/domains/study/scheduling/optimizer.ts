/**
 * Fits FSRS weights to the student's own review log with fsrs-rs (through
 * @open-spaced-repetition/binding) on a worker thread. A fifth of the cards (chosen by id, so the
 * split is stable) is held out: both the current and the fitted weights are scored on it
 * (log-loss, RMSE), and the fitted ones are kept only if they predict those reviews better.
 */
import { AppError } from '../../../contract/index.js';
import { runWorkerTask, workerScript, type ProgressReporter } from '../../../jobs/worker-task.js';
import { seededFraction } from './load-balancer.js';
import type { AnswerRow, ReviewLogRow } from './review-log.js';
import { DEFAULT_ROLLOVER_HOUR, studyDayOf } from './study-day.js';

/** Fewer reviews than this fit noise, not the student (Anki asks for about as many). */
export const MIN_REVIEWS_TO_OPTIMISE = 400;
const HELD_OUT_SHARE = 0.2;

/** One training item: a card's answers up to one review, as [rating, days since the previous]. */
export type TrainingItem = [rating: number, deltaDays: number][];

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
  train: TrainingItem[];
  heldOut: TrainingItem[];
  currentWeights: number[];
}

/**
 * The training items of one card's log, as fsrs-rs expects them: only answers since its last
 * reset, only cards whose history starts from new (a card first seen elsewhere has no first
 * rating to learn from), one item per review after the first that came on a later day.
 */
export function trainingItemsOf(
  rows: readonly ReviewLogRow[],
  rolloverHour = DEFAULT_ROLLOVER_HOUR,
): TrainingItem[] {
  let answers: AnswerRow[] = [];
  for (const row of [...rows].sort((a, b) => a.at - b.at)) {
    if (row.kind === 'reset') answers = [];
    else if (row.kind === 'answer') answers.push(row);
  }
  if (answers[0]?.stateBefore !== 'new') return [];
  const items: TrainingItem[] = [];
  const reviews: TrainingItem = [];
  answers.forEach((answer, index) => {
    const delta =
      index === 0
        ? 0
        : studyDayOf(answer.at, rolloverHour) - studyDayOf(answers[index - 1]!.at, rolloverHour);
    reviews.push([answer.rating, delta]);
    if (index > 0 && delta > 0) items.push([...reviews]);
  });
  return items;
}

/** Splits cards' items into training and held-out sets by card id. */
export function splitByCard(logsByCard: ReadonlyMap<string, readonly ReviewLogRow[]>) {
  const train: TrainingItem[] = [];
  const heldOut: TrainingItem[] = [];
  for (const [cardId, rows] of logsByCard) {
    (seededFraction(`held-out:${cardId}`) < HELD_OUT_SHARE ? heldOut : train).push(...trainingItemsOf(rows));
  }
  return { train, heldOut };
}

export async function optimiseWeights(
  logsByCard: ReadonlyMap<string, readonly ReviewLogRow[]>,
  currentWeights: readonly number[],
  options: { signal: AbortSignal; onProgress?: ProgressReporter },
): Promise<OptimisationResult> {
  const { train, heldOut } = splitByCard(logsByCard);
  const total = train.length + heldOut.length;
  if (total < MIN_REVIEWS_TO_OPTIMISE || heldOut.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `Optimising needs at least ${MIN_REVIEWS_TO_OPTIMISE} reviews of cards you learned here; this deck has ${total}. Keep reviewing and try again later.`,
    );
  }
  const task: OptimiserTask = { train, heldOut, currentWeights: [...currentWeights] };
  return runWorkerTask<OptimisationResult>(workerScript(import.meta.url, 'optimizer-worker'), task, options);
}
