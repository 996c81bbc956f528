import { randomUUID } from 'node:crypto';
import {
  createEmptyCard,
  forgetting_curve,
  fsrs,
  get_fuzz_range,
  State,
  type Card,
  type Grade,
} from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { fromFsrsCard, FsrsScheduler, NEW_CARD_MEMORY, type CardMemory } from './fsrs-scheduler.js';
import { LoadBalancer } from './load-balancer.js';
import type { Rating, ReviewLogRow } from './review-log.js';
import { DEFAULT_SCHEDULING_OPTIONS, type SchedulingOptions } from './scheduling-options.js';
import { DAY_MS, startOfStudyDay, studyDayOf, weekdayOfStudyDay } from './study-day.js';

const START = Date.UTC(2025, 0, 6, 15, 0); // a Monday afternoon
const MINUTE = 60_000;

/** A student's answers: rating and minutes since the previous answer. */
const SESSION: [Rating, number][] = [
  [3, 0],
  [1, 2],
  [3, 3],
  [3, 12],
  [3, 60 * 24 * 2],
  [2, 60 * 24 * 5],
  [1, 60 * 24 * 9],
  [3, 15],
  [4, 60 * 24 * 3],
  [3, 60 * 24 * 20],
];

function options(overrides: Partial<SchedulingOptions> = {}): SchedulingOptions {
  return { ...DEFAULT_SCHEDULING_OPTIONS, ...overrides };
}

function tsFsrsFor(opts: SchedulingOptions, fuzz: boolean) {
  return fsrs({
    request_retention: opts.desiredRetention,
    maximum_interval: opts.maximumIntervalDays,
    w: [...opts.weights],
    enable_fuzz: fuzz,
    enable_short_term: true,
    learning_steps: opts.learningSteps,
    relearning_steps: opts.relearningSteps,
  });
}

/** Answers SESSION through our scheduler, returning every state and the log it wrote. */
function answerSession(scheduler: FsrsScheduler, session = SESSION, cardId = 'card-1') {
  let memory: CardMemory = NEW_CARD_MEMORY;
  let now = START;
  const rows: ReviewLogRow[] = [];
  const states: CardMemory[] = [];
  for (const [rating, minutes] of session) {
    now += minutes * MINUTE;
    const answered = scheduler.answer(
      memory,
      rating,
      { cardId, now },
      { id: randomUUID(), durationMs: 4_000 },
    );
    rows.push(answered.row);
    memory = answered.memory;
    states.push(memory);
  }
  return { rows, states };
}

/** The same answers given to ts-fsrs directly. */
function answerSessionDirectly(opts: SchedulingOptions, fuzz: boolean, session = SESSION): CardMemory[] {
  const scheduler = tsFsrsFor(opts, fuzz);
  let card: Card = createEmptyCard(new Date(START));
  let now = START;
  return session.map(([rating, minutes]) => {
    now += minutes * MINUTE;
    card = scheduler.next(card, new Date(now), rating as Grade).card;
    return fromFsrsCard(card);
  });
}

describe('FSRS scheduling against ts-fsrs on the same inputs', () => {
  it('gives exactly what ts-fsrs gives without fuzz', () => {
    const opts = options({ fuzz: false });
    expect(answerSession(new FsrsScheduler(opts)).states).toEqual(answerSessionDirectly(opts, false));
  });

  it("uses ts-fsrs's own fuzz when no load balancer is given", () => {
    const opts = options({ fuzz: true });
    const ours = answerSession(new FsrsScheduler(opts)).states;
    expect(ours).toEqual(answerSessionDirectly(opts, true));
    // and the fuzz really moved something, so the comparison above covers it
    expect(ours).not.toEqual(answerSessionDirectly(opts, false));
  });

  it('honours desired retention, maximum interval, custom steps and optimised weights like ts-fsrs', () => {
    const weights = [...DEFAULT_SCHEDULING_OPTIONS.weights];
    weights[2] = 4.1;
    weights[8] = 1.2;
    for (const opts of [
      options({ fuzz: false, desiredRetention: 0.95 }),
      options({ fuzz: false, desiredRetention: 0.8, maximumIntervalDays: 7 }),
      options({ fuzz: false, learningSteps: ['5m', '30m', '1d'], relearningSteps: [] }),
      options({ fuzz: false, weights }),
    ]) {
      expect(answerSession(new FsrsScheduler(opts)).states).toEqual(answerSessionDirectly(opts, false));
    }
    // The cap binds (ts-fsrs still keeps Good one day above Hard and Easy above Good).
    const capped = answerSession(new FsrsScheduler(options({ fuzz: false, maximumIntervalDays: 7 }))).states;
    const uncapped = answerSession(new FsrsScheduler(options({ fuzz: false }))).states;
    expect(Math.max(...uncapped.map((state) => state.scheduledDays))).toBeGreaterThan(9);
    expect(Math.max(...capped.map((state) => state.scheduledDays))).toBeLessThanOrEqual(9);
  });

  it('walks the learning and relearning steps', () => {
    const scheduler = new FsrsScheduler(
      options({ fuzz: false, learningSteps: ['1m', '10m'], relearningSteps: ['10m'] }),
    );
    const context = { cardId: 'c', now: START };
    const preview = scheduler.preview(NEW_CARD_MEMORY, context);
    expect(preview[1].memory).toMatchObject({ state: 'learning', due: START + MINUTE });
    expect(preview[3].memory).toMatchObject({ state: 'learning', due: START + 10 * MINUTE });
    expect(preview[4].memory.state).toBe('review');
    const graduated = scheduler.answer(
      preview[3].memory,
      3,
      { cardId: 'c', now: START + 10 * MINUTE },
      {
        id: 'x',
        durationMs: 0,
      },
    ).memory;
    expect(graduated.state).toBe('review');
    expect(graduated.scheduledDays).toBeGreaterThanOrEqual(1);
    const lapse = scheduler.preview(graduated, { cardId: 'c', now: graduated.due })[1].memory;
    expect(lapse).toMatchObject({ state: 'relearning', due: graduated.due + 10 * MINUTE, lapses: 1 });
  });
});

describe('card state by replaying the review log', () => {
  const scheduler = new FsrsScheduler(options());

  it('derives the same state from the log as answering produced, after every answer', () => {
    const { rows, states } = answerSession(scheduler);
    rows.forEach((_, index) => expect(scheduler.replay(rows.slice(0, index + 1))).toEqual(states[index]));
  });

  it('is deterministic: the same rows in any order (two devices merged) give the same state', () => {
    const { rows, states } = answerSession(scheduler);
    const shuffled = [...rows].reverse();
    [shuffled[1], shuffled[5]] = [shuffled[5]!, shuffled[1]!];
    expect(scheduler.replay(shuffled)).toEqual(states.at(-1));
    expect(scheduler.replay(rows)).toEqual(scheduler.replay(rows));
  });

  it('undoes an answer by dropping its row, and only that one', () => {
    const { rows, states } = answerSession(scheduler);
    expect(scheduler.replay(rows.slice(0, -1))).toEqual(states.at(-2));
    expect(scheduler.replay([])).toEqual(NEW_CARD_MEMORY);
  });

  it('starts over after a reset, as a new card would', () => {
    const { rows } = answerSession(scheduler);
    const resetAt = rows.at(-1)!.at + DAY_MS;
    const reset: ReviewLogRow = { kind: 'reset', id: 'reset', cardId: 'card-1', at: resetAt };
    expect(scheduler.replay([...rows, reset])).toEqual(NEW_CARD_MEMORY);
    const fresh = scheduler.answer(
      NEW_CARD_MEMORY,
      3,
      { cardId: 'card-1', now: resetAt + MINUTE },
      { id: 'a', durationMs: 1 },
    );
    expect(scheduler.replay([...rows, reset, fresh.row])).toEqual(fresh.memory);
    expect(fresh.memory).toMatchObject({ state: 'learning', reps: 1, lapses: 0 });
  });

  it('carries a schedule set on import and continues from it as ts-fsrs would', () => {
    const importedAt = START;
    const due = START + 12 * DAY_MS;
    const carried: ReviewLogRow = {
      kind: 'schedule',
      id: 's',
      cardId: 'c',
      at: importedAt,
      state: 'review',
      due,
      stability: 14.5,
      difficulty: 6.2,
    };
    const memory = scheduler.replay([carried]);
    expect(memory).toMatchObject({
      state: 'review',
      due,
      stability: 14.5,
      difficulty: 6.2,
      lastReviewAt: importedAt,
    });
    const answeredAt = due + 3 * 3_600_000;
    const ours = new FsrsScheduler(options({ fuzz: false })).preview(memory, {
      cardId: 'c',
      now: answeredAt,
    });
    const direct = tsFsrsFor(options(), false).next(
      {
        ...createEmptyCard(new Date(due)),
        state: State.Review,
        stability: 14.5,
        difficulty: 6.2,
        last_review: new Date(importedAt),
        reps: 1,
      },
      new Date(answeredAt),
      3,
    );
    expect(ours[3].memory.stability).toBe(direct.card.stability);
    expect(ours[3].memory.scheduledDays).toBe(direct.card.scheduled_days);
  });
});

describe('load balancing and easy days', () => {
  const reviewCard = (now: number): CardMemory => ({
    state: 'review',
    due: now,
    stability: 30,
    difficulty: 5,
    reps: 6,
    lapses: 0,
    learningStep: 0,
    lastReviewAt: now - 30 * DAY_MS,
    scheduledDays: 30,
  });

  it('picks a day inside the fuzz range, avoiding the busy ones, and previews exactly what it applies', () => {
    const scheduler = new FsrsScheduler(options());
    const memory = reviewCard(START);
    const exact = new FsrsScheduler(options({ fuzz: false })).preview(memory, { cardId: 'c', now: START })[3]
      .memory;
    const { min_ivl, max_ivl } = get_fuzz_range(exact.scheduledDays, 30, 36_500);
    const today = studyDayOf(START);
    // Every day of the range is busy except one.
    const quietInterval = min_ivl + 1;
    const load = new Map<number, number>();
    for (let interval = min_ivl; interval <= max_ivl; interval += 1) {
      load.set(studyDayOf(START + interval * DAY_MS), interval === quietInterval ? 0 : 40);
    }
    const picks = new Set<number>();
    for (let i = 0; i < 20; i += 1) {
      const context = {
        cardId: `card-${i}`,
        now: START,
        balancer: new LoadBalancer(() => load, options().easyDays),
      };
      const preview = scheduler.preview(memory, context)[3].memory;
      const answered = scheduler.answer(memory, 3, context, { id: `r${i}`, durationMs: 0 });
      expect(answered.memory).toEqual(preview);
      expect(answered.row.due).toBe(preview.due);
      expect(preview.scheduledDays).toBeGreaterThanOrEqual(min_ivl);
      expect(preview.scheduledDays).toBeLessThanOrEqual(max_ivl);
      picks.add(studyDayOf(preview.due) - today);
    }
    expect([...picks]).toEqual([quietInterval]);
  });

  it('keeps Hard before Good before Easy', () => {
    const scheduler = new FsrsScheduler(options());
    for (let i = 0; i < 30; i += 1) {
      const preview = scheduler.preview(reviewCard(START), {
        cardId: `c${i}`,
        now: START,
        balancer: new LoadBalancer(() => new Map(), options().easyDays),
      });
      expect(preview[2].memory.scheduledDays).toBeLessThan(preview[3].memory.scheduledDays);
      expect(preview[3].memory.scheduledDays).toBeLessThan(preview[4].memory.scheduledDays);
    }
  });

  it('keeps reviews off an easy day when other days in the range are free', () => {
    const easyDays = [1, 1, 1, 1, 1, 0, 0]; // weekends off
    const scheduler = new FsrsScheduler(options({ easyDays }));
    const weekdays = new Set<number>();
    for (let i = 0; i < 40; i += 1) {
      const next = scheduler.preview(reviewCard(START), {
        cardId: `c${i}`,
        now: START,
        balancer: new LoadBalancer(() => new Map(), easyDays),
      })[3].memory;
      weekdays.add(weekdayOfStudyDay(studyDayOf(next.due)));
    }
    expect(weekdays.has(5) || weekdays.has(6)).toBe(false);
    expect(weekdays.size).toBeGreaterThan(1);
  });

  it('counts each answered card where it now falls due', () => {
    const balancer = new LoadBalancer(() => new Map(), options().easyDays);
    const scheduler = new FsrsScheduler(options());
    const answered = scheduler.answer(
      reviewCard(START),
      3,
      { cardId: 'c', now: START, balancer },
      { id: 'r', durationMs: 0 },
    );
    expect(balancer.dueOn(studyDayOf(answered.memory.due))).toBe(1);
    expect(balancer.dueOn(studyDayOf(START))).toBe(0);
  });
});

describe('exam-date targeting', () => {
  const scheduler = new FsrsScheduler(options({ fuzz: false }));

  // Until its due date a card stays above the desired retention, so the exam target matters when
  // it asks for more than that (or when fuzz and load balancing moved a due date past it).
  it('pulls a review before the exam so recall on the exam day meets the target', () => {
    const examDay = studyDayOf(START) + 20;
    const exam = { day: examDay, targetRecall: 0.95 };
    const memory: CardMemory = {
      state: 'review',
      due: START,
      stability: 12,
      difficulty: 5,
      reps: 4,
      lapses: 0,
      learningStep: 0,
      lastReviewAt: START - 12 * DAY_MS,
      scheduledDays: 12,
    };
    const normal = scheduler.preview(memory, { cardId: 'c', now: START })[3].memory;
    expect(studyDayOf(normal.due)).toBeGreaterThan(examDay);
    // Without the exam the card would be under 95 % on the exam day.
    const examStart = startOfStudyDay(examDay);
    expect(
      forgetting_curve([...options().weights], (examStart - START) / DAY_MS, normal.stability),
    ).toBeLessThan(0.95);

    const targeted = scheduler.preview(memory, { cardId: 'c', now: START, exam })[3].memory;
    const reviewDay = studyDayOf(targeted.due);
    expect(reviewDay).toBeLessThan(examDay);
    expect(targeted.due).toBe(startOfStudyDay(reviewDay));
    // One Good review on that day carries the card over the target on the exam day (ts-fsrs direct)...
    const direct = tsFsrsFor(options(), false);
    const reviewAt = startOfStudyDay(reviewDay);
    const after = direct.next_state(targeted, (reviewAt - START) / DAY_MS, 3);
    expect(direct.forgetting_curve((examStart - reviewAt) / DAY_MS, after.stability)).toBeGreaterThanOrEqual(
      0.95,
    );
    // ...and it is the latest such day: a day later would not.
    if (reviewDay + 1 < examDay) {
      const later = startOfStudyDay(reviewDay + 1);
      const afterLater = direct.next_state(targeted, (later - START) / DAY_MS, 3);
      expect(direct.forgetting_curve((examStart - later) / DAY_MS, afterLater.stability)).toBeLessThan(0.95);
    }
  });

  it('leaves a card alone when its recall on the exam day already meets the target', () => {
    const exam = { day: studyDayOf(START) + 3, targetRecall: 0.8 };
    const strong: CardMemory = {
      state: 'review',
      due: START,
      stability: 200,
      difficulty: 3,
      reps: 9,
      lapses: 0,
      learningStep: 0,
      lastReviewAt: START - 100 * DAY_MS,
      scheduledDays: 100,
    };
    const context = { cardId: 'c', now: START };
    expect(scheduler.preview(strong, { ...context, exam })).toEqual(scheduler.preview(strong, context));
  });
});
