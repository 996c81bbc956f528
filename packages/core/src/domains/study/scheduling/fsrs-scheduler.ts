/**
 * Scheduling on FSRS-6 through ts-fsrs: this module only translates between the review log and
 * ts-fsrs, then places review due dates (load balancing, exam targets). The memory model, the
 * learning steps and the fuzz are ts-fsrs's own.
 */
import {
  createEmptyCard,
  dateDiffInDays,
  fsrs,
  get_fuzz_range,
  Rating as FsrsRating,
  State,
  type Card,
  type FSRS,
  type FSRSHistory,
  type Grade,
} from 'ts-fsrs';
import { examReviewDay, type ExamTarget } from './exam-target.js';
import type { LoadBalancer } from './load-balancer.js';
import {
  compareLogRows,
  RATINGS,
  type AnswerRow,
  type CardState,
  type Rating,
  type ReviewLogRow,
} from './review-log.js';
import type { SchedulingOptions } from './scheduling-options.js';
import { DAY_MS, DEFAULT_ROLLOVER_HOUR, startOfStudyDay, studyDayOf } from './study-day.js';

/** A card's scheduling state, derived from its log. Times are epoch milliseconds. */
export interface CardMemory {
  state: CardState;
  due: number;
  /** Days until recall falls to 90 % (FSRS stability); 0 for a new card. */
  stability: number;
  /** 1 (easy) to 10 (hard); 0 for a new card. */
  difficulty: number;
  reps: number;
  lapses: number;
  /** Index of the current (re)learning step. */
  learningStep: number;
  lastReviewAt: number | null;
  scheduledDays: number;
}

/** What happens if the card is answered with one rating: shown under its button, then applied. */
export interface AnswerOutcome {
  rating: Rating;
  memory: CardMemory;
}

export interface AnswerContext {
  cardId: string;
  now: number;
  /** Spreads review due dates by load; without it the fuzz (if on) is ts-fsrs's own. */
  balancer?: LoadBalancer | null;
  /** The deck is "ready for the exam": reviews are pulled before the exam when needed. */
  exam?: ExamTarget | null;
  rolloverHour?: number;
}

export const NEW_CARD_MEMORY: CardMemory = Object.freeze({
  state: 'new',
  due: 0,
  stability: 0,
  difficulty: 0,
  reps: 0,
  lapses: 0,
  learningStep: 0,
  lastReviewAt: null,
  scheduledDays: 0,
});

const STATE_NAMES: Record<State, CardState> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const FSRS_STATES: Record<CardState, State> = {
  new: State.New,
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};

export function toFsrsCard(memory: CardMemory): Card {
  return {
    due: new Date(memory.due),
    stability: memory.stability,
    difficulty: memory.difficulty,
    // Deprecated in ts-fsrs 5 and recomputed from last_review; never stored.
    elapsed_days: 0,
    scheduled_days: memory.scheduledDays,
    learning_steps: memory.learningStep,
    reps: memory.reps,
    lapses: memory.lapses,
    state: FSRS_STATES[memory.state],
    last_review: memory.lastReviewAt === null ? undefined : new Date(memory.lastReviewAt),
  };
}

export function fromFsrsCard(card: Card): CardMemory {
  return {
    state: STATE_NAMES[card.state],
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    reps: card.reps,
    lapses: card.lapses,
    learningStep: card.learning_steps,
    lastReviewAt: card.last_review ? card.last_review.getTime() : null,
    scheduledDays: card.scheduled_days,
  };
}

function toHistory(row: ReviewLogRow): FSRSHistory {
  const review = new Date(row.at);
  if (row.kind === 'answer') return { rating: row.rating as Grade, review };
  if (row.kind === 'reset') return { rating: FsrsRating.Manual, state: State.New, review, due: review };
  return {
    rating: FsrsRating.Manual,
    state: FSRS_STATES[row.state],
    review,
    due: new Date(row.due),
    // ts-fsrs keeps the replayed value when these are undefined.
    stability: row.stability ?? undefined,
    difficulty: row.difficulty ?? undefined,
  };
}

export class FsrsScheduler {
  /** No fuzz: replay, exact intervals and the base the load balancer spreads around. */
  private readonly exact: FSRS;
  /** ts-fsrs's own fuzz, used when no load balancer is given. */
  private readonly fuzzy: FSRS;

  constructor(readonly options: SchedulingOptions) {
    const parameters = {
      request_retention: options.desiredRetention,
      maximum_interval: options.maximumIntervalDays,
      w: [...options.weights],
      enable_short_term: true,
      learning_steps: options.learningSteps,
      relearning_steps: options.relearningSteps,
    };
    this.exact = fsrs({ ...parameters, enable_fuzz: false });
    this.fuzzy = fsrs({ ...parameters, enable_fuzz: true });
  }

  /** The card's state after its log, in replay order; the due date is the one the last answer chose. */
  replay(rows: readonly ReviewLogRow[]): CardMemory {
    const sorted = [...rows].sort(compareLogRows);
    // A reset forgets everything before it, so replay starts after the last one.
    let start = 0;
    sorted.forEach((row, index) => {
      if (row.kind === 'reset') start = index + 1;
    });
    const relevant = sorted.slice(start);
    const last = relevant.at(-1);
    if (!last) return NEW_CARD_MEMORY;
    const first = createEmptyCard(new Date(0));
    const { collections } = this.exact.reschedule(first, relevant.map(toHistory), {
      skipManual: false,
      first_card: first,
    });
    const memory = fromFsrsCard(collections.at(-1)!.card);
    return last.kind === 'answer' ? { ...memory, due: last.due, scheduledDays: last.scheduledDays } : memory;
  }

  /** The outcome of each rating, exactly as `answer` would apply it. */
  preview(memory: CardMemory, context: AnswerContext): Record<Rating, AnswerOutcome> {
    const now = new Date(context.now);
    const card = toFsrsCard(memory);
    const balancer = this.options.fuzz && this.options.loadBalancing ? (context.balancer ?? null) : null;
    const scheduler = this.options.fuzz && !balancer ? this.fuzzy : this.exact;
    const preview = scheduler.repeat(card, now);
    const elapsedDays = memory.lastReviewAt === null ? 0 : dateDiffInDays(new Date(memory.lastReviewAt), now);
    const rolloverHour = context.rolloverHour ?? DEFAULT_ROLLOVER_HOUR;
    const outcomes = {} as Record<Rating, AnswerOutcome>;
    let shortestNext = 0;
    for (const rating of RATINGS) {
      let next = fromFsrsCard(preview[rating as Grade].card);
      if (next.scheduledDays >= 1) {
        if (balancer) {
          const days = this.balancedDays(
            next.scheduledDays,
            elapsedDays,
            shortestNext,
            context.now,
            rolloverHour,
          );
          const day = balancer.pick(
            days.map((days) => days.day),
            `${context.cardId}:${context.now}:${rating}`,
          );
          next = withInterval(next, context.now, days.find((option) => option.day === day)!.interval);
        }
        if (context.exam) next = this.pulledBeforeExam(next, context.now, context.exam, rolloverHour);
        shortestNext = next.scheduledDays;
      }
      outcomes[rating] = { rating, memory: next };
    }
    return outcomes;
  }

  /** Applies `rating`: the log row to append and the state it leads to. */
  answer(
    memory: CardMemory,
    rating: Rating,
    context: AnswerContext,
    row: { id: string; durationMs: number },
  ): { row: AnswerRow; memory: CardMemory } {
    const next = this.preview(memory, context)[rating].memory;
    const rolloverHour = context.rolloverHour ?? DEFAULT_ROLLOVER_HOUR;
    if (context.balancer && next.scheduledDays >= 1) {
      const before = memory.state === 'review' ? studyDayOf(memory.due, rolloverHour) : null;
      context.balancer.move(before, studyDayOf(next.due, rolloverHour));
    }
    return {
      row: {
        kind: 'answer',
        id: row.id,
        cardId: context.cardId,
        at: context.now,
        rating,
        durationMs: row.durationMs,
        stateBefore: memory.state,
        scheduledDays: next.scheduledDays,
        due: next.due,
      },
      memory: next,
    };
  }

  /** Probability of recalling the card at `at` (FSRS retrievability); 0 for a new card. */
  recall(memory: Pick<CardMemory, 'state' | 'stability' | 'lastReviewAt'>, at: number): number {
    if (memory.state === 'new' || memory.lastReviewAt === null) return 0;
    return this.exact.forgetting_curve(Math.max(0, (at - memory.lastReviewAt) / DAY_MS), memory.stability);
  }

  /** Stability and difficulty after answering `rating` `elapsedDays` after the last review. */
  nextMemory(
    memory: Pick<CardMemory, 'stability' | 'difficulty'>,
    elapsedDays: number,
    rating: Rating,
  ): { stability: number; difficulty: number } {
    return this.exact.next_state(memory, elapsedDays, rating);
  }

  /** The exact (unfuzzed) interval in days FSRS gives a card of `stability`. */
  intervalDays(stability: number, elapsedDays: number): number {
    return this.exact.next_interval(stability, elapsedDays);
  }

  /** The intervals (and their study days) the balancer may choose from: the fuzz range, after `atLeast`. */
  private balancedDays(
    interval: number,
    elapsedDays: number,
    atLeast: number,
    now: number,
    rolloverHour: number,
  ) {
    const { min_ivl, max_ivl } = get_fuzz_range(interval, elapsedDays, this.options.maximumIntervalDays);
    // Keep Hard <= Good <= Easy, as the buttons promise, unless the range leaves no room.
    const low = Math.min(Math.max(min_ivl, atLeast + 1), max_ivl);
    const options: { interval: number; day: number }[] = [];
    for (let days = low; days <= max_ivl; days += 1) {
      const day = studyDayOf(now + days * DAY_MS, rolloverHour);
      if (options.at(-1)?.day !== day) options.push({ interval: days, day });
    }
    return options;
  }

  private pulledBeforeExam(
    next: CardMemory,
    now: number,
    exam: ExamTarget,
    rolloverHour: number,
  ): CardMemory {
    const day = examReviewDay(this, next, now, exam, rolloverHour);
    if (day === null) return next;
    const due = startOfStudyDay(day, rolloverHour);
    if (due >= next.due) return next;
    return { ...next, due, scheduledDays: Math.max(1, day - studyDayOf(now, rolloverHour)) };
  }
}

function withInterval(memory: CardMemory, now: number, days: number): CardMemory {
  return { ...memory, scheduledDays: days, due: now + days * DAY_MS };
}
