import { describe, expect, it } from 'vitest';
import {
  MIN_REVIEWS_TO_OPTIMISE,
  optimiseWeights,
  splitByCard,
  trainingHistoryOf,
  trainingItemLengths,
} from './optimizer.js';
import type { ReviewLogRow } from './review-log.js';
import { DEFAULT_SCHEDULING_OPTIONS } from './scheduling-options.js';
import { DAY_MS } from './study-day.js';
import { simulateLearner } from './test-support/simulated-learner.js';

const START = Date.UTC(2025, 0, 6, 10, 0);
const HOUR = 3_600_000;

function answer(at: number, rating: 1 | 2 | 3 | 4, stateBefore: 'new' | 'learning' | 'review'): ReviewLogRow {
  return {
    kind: 'answer',
    id: `a${at}`,
    cardId: 'c',
    at,
    rating,
    durationMs: 1,
    stateBefore,
    scheduledDays: 0,
    due: at,
  };
}

describe('training data from the review log', () => {
  it('makes one item per later-day review, with day gaps, from a card learned here', () => {
    const rows = [
      answer(START, 1, 'new'),
      answer(START + 0.1 * HOUR, 3, 'learning'),
      answer(START + DAY_MS, 3, 'review'),
      answer(START + 4 * DAY_MS, 2, 'review'),
      answer(START + 4 * DAY_MS + HOUR, 3, 'review'),
    ];
    const history = trainingHistoryOf(rows);
    expect(history).toEqual([
      [1, 0],
      [3, 0],
      [3, 1],
      [2, 3],
      [3, 0],
    ]);
    // Items end at the reviews that came on a later day: the 3rd and the 4th.
    expect(trainingItemLengths(history)).toEqual([3, 4]);
  });

  it('starts after the last reset and skips cards whose first answer was not given here', () => {
    const reset: ReviewLogRow = { kind: 'reset', id: 'r', cardId: 'c', at: START + 2 * DAY_MS };
    const rows = [
      answer(START, 3, 'new'),
      answer(START + DAY_MS, 3, 'review'),
      reset,
      answer(START + 3 * DAY_MS, 4, 'new'),
      answer(START + 5 * DAY_MS, 3, 'review'),
    ];
    expect(trainingHistoryOf(rows)).toEqual([
      [4, 0],
      [3, 2],
    ]);
    expect(trainingHistoryOf([answer(START, 3, 'review'), answer(START + DAY_MS, 3, 'review')])).toEqual([]);
  });
});

describe('optimising FSRS weights on a worker thread', () => {
  const logs = simulateLearner({ cards: 600, newCardsPerDay: 20, days: 120, start: START });

  it('fits a learner better than the defaults on held-out reviews, and keeps its fit when refitting gains nothing', async () => {
    const { train, heldOut } = splitByCard(logs);
    const items = (histories: typeof train) =>
      histories.reduce((sum, history) => sum + trainingItemLengths(history).length, 0);
    expect(heldOut.length).toBeGreaterThan(train.length / 8);
    const progress: (number | null)[] = [];
    const result = await optimiseWeights(logs, DEFAULT_SCHEDULING_OPTIONS.weights, {
      signal: new AbortController().signal,
      onProgress: (value) => progress.push(value),
    });
    expect(result.trainingItems).toBe(items(train));
    expect(result.heldOutItems).toBe(items(heldOut));
    expect(result.after.logLoss).toBeLessThan(result.before.logLoss);
    expect(result.adopted).toBe(true);
    expect(result.weights).toHaveLength(21);
    expect(result.weights).not.toEqual([...DEFAULT_SCHEDULING_OPTIONS.weights]);
    expect(progress).toEqual(expect.arrayContaining([0, 0.1, 0.9]));

    // Fitting the same reviews again cannot beat the weights they already gave: they are kept.
    const again = await optimiseWeights(logs, result.weights, { signal: new AbortController().signal });
    expect(again.adopted).toBe(false);
    expect(again.weights).toEqual(result.weights);
    expect(again.after.logLoss).toBeGreaterThanOrEqual(again.before.logLoss);
  });

  it('says how many reviews it needs when a deck has too few', async () => {
    const few = simulateLearner({ cards: 10, newCardsPerDay: 10, days: 30, start: START });
    await expect(
      optimiseWeights(few, DEFAULT_SCHEDULING_OPTIONS.weights, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        new RegExp(`^Optimising needs at least ${MIN_REVIEWS_TO_OPTIMISE} reviews`),
      ),
    });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = optimiseWeights(logs, DEFAULT_SCHEDULING_OPTIONS.weights, { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
