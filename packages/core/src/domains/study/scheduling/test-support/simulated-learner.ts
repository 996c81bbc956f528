/**
 * A simulated student for tests and benchmarks: cards are scheduled by our scheduler, and each
 * answer is drawn from a "true" memory that follows FSRS with its own weights, so a fit on the
 * resulting log has something real to recover. Seeded: the same inputs give the same log.
 */
import { randomUUID } from 'node:crypto';
import { fsrs } from 'ts-fsrs';
import { mulberry32 } from '../../../../../../../scripts/fixtures/make-llama-model.js';
import { FsrsScheduler, NEW_CARD_MEMORY, type CardMemory } from '../fsrs-scheduler.js';
import type { Rating, ReviewLogRow } from '../review-log.js';
import { DEFAULT_SCHEDULING_OPTIONS } from '../scheduling-options.js';
import { DAY_MS } from '../study-day.js';

/** A learner who forgets faster at first and keeps hard cards longer than FSRS's defaults assume. */
export const LEARNER_WEIGHTS = [
  0.1, 0.6, 1.4, 5.2, 7.0, 0.6, 2.4, 0.02, 1.6, 0.2, 1.0, 1.8, 0.1, 0.35, 1.9, 0.4, 2.2, 0.5, 0.15, 0.1, 0.2,
];

export interface SimulationOptions {
  cards: number;
  newCardsPerDay: number;
  days: number;
  start: number;
  seed?: number;
  trueWeights?: readonly number[];
}

/** Every card's log, by card id. */
export function simulateLearner(options: SimulationOptions): Map<string, ReviewLogRow[]> {
  const random = mulberry32(options.seed ?? 7);
  const truth = fsrs({ w: [...(options.trueWeights ?? LEARNER_WEIGHTS)] });
  const scheduler = new FsrsScheduler({ ...DEFAULT_SCHEDULING_OPTIONS, fuzz: false });
  const end = options.start + options.days * DAY_MS;
  const logs = new Map<string, ReviewLogRow[]>();
  for (let index = 0; index < options.cards; index += 1) {
    const cardId = `card-${index}`;
    const rows: ReviewLogRow[] = [];
    let memory: CardMemory = NEW_CARD_MEMORY;
    let trueMemory: { stability: number; difficulty: number } | null = null;
    // Introduced during the afternoon of its day, a little apart from the others.
    let at =
      options.start + Math.floor(index / options.newCardsPerDay) * DAY_MS + 14 * 3_600_000 + index * 1_000;
    while (at < end) {
      const elapsedDays = memory.lastReviewAt === null ? 0 : (at - memory.lastReviewAt) / DAY_MS;
      const recall = trueMemory ? truth.forgetting_curve(elapsedDays, trueMemory.stability) : 0;
      const rating: Rating =
        memory.state === 'new'
          ? ((1 + Math.floor(random() * 4)) as Rating)
          : random() >= recall
            ? 1
            : random() < 0.15
              ? 2
              : random() < 0.92
                ? 3
                : 4;
      trueMemory = truth.next_state(trueMemory, Math.max(0, Math.floor(elapsedDays)), rating);
      const answered = scheduler.answer(
        memory,
        rating,
        { cardId, now: at },
        { id: randomUUID(), durationMs: 6_000 },
      );
      rows.push(answered.row);
      memory = answered.memory;
      at = Math.max(memory.due, at + 60_000);
    }
    logs.set(cardId, rows);
  }
  return logs;
}
