import { default_w, type StepUnit } from 'ts-fsrs';

/** How one deck is scheduled. Every field has Anki's default, so a new deck needs no setup. */
export interface SchedulingOptions {
  /** Probability of recall a review is scheduled at (FSRS's "desired retention"). */
  desiredRetention: number;
  maximumIntervalDays: number;
  learningSteps: readonly StepUnit[];
  relearningSteps: readonly StepUnit[];
  /** FSRS-6 weights (21); the defaults until the optimiser has fitted the student's own. */
  weights: readonly number[];
  /** Spread intervals randomly inside FSRS's fuzz range so cards learned together drift apart. */
  fuzz: boolean;
  /** Within the fuzz range, prefer the days with fewer reviews due (and lighter weekdays). */
  loadBalancing: boolean;
  /**
   * How much of a normal day's load each weekday should carry, Monday first: 1 normal, 0.5
   * reduced, 0 as little as possible ("easy days").
   */
  easyDays: readonly number[];
  newCardsPerDay: number;
  reviewsPerDay: number;
}

export const DEFAULT_SCHEDULING_OPTIONS: Readonly<SchedulingOptions> = Object.freeze({
  desiredRetention: 0.9,
  maximumIntervalDays: 36_500,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  weights: default_w,
  fuzz: true,
  loadBalancing: true,
  easyDays: [1, 1, 1, 1, 1, 1, 1],
  newCardsPerDay: 20,
  reviewsPerDay: 200,
} satisfies SchedulingOptions);

/** A deck's options: what it set, the defaults for the rest. */
export function withDefaults(options: Partial<SchedulingOptions>): SchedulingOptions {
  return { ...DEFAULT_SCHEDULING_OPTIONS, ...options };
}
