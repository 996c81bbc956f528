/**
 * "Ready for the exam": a deck whose class has an exam date schedules every card so that its
 * predicted recall on the exam day (FSRS forgetting curve) is at least the target. A review whose
 * normal next date falls after the exam, with too little recall left by then, is pulled to the
 * latest day before the exam from which one more successful review carries it over the target.
 */
import type { CardMemory, FsrsScheduler } from './fsrs-scheduler.js';
import type { SchedulingOptions } from './scheduling-options.js';
import { DAY_MS, DEFAULT_ROLLOVER_HOUR, startOfStudyDay, studyDayOf } from './study-day.js';

export interface ExamTarget {
  /** The study day of the exam (see `studyDayOf`). */
  day: number;
  /** Recall wanted on the exam day, e.g. 0.9. */
  targetRecall: number;
}

const GOOD = 3;

/**
 * The study day on which a card (just reviewed, in `memory`) should be seen again so it meets the
 * exam target, or null when its normal schedule already does (or the exam leaves no day to use).
 * When no single review can carry it over the target, the earliest day is chosen: such a card
 * needs several reviews, and each one plans the next.
 */
export function examReviewDay(
  scheduler: FsrsScheduler,
  memory: CardMemory,
  now: number,
  exam: ExamTarget,
  rolloverHour = DEFAULT_ROLLOVER_HOUR,
): number | null {
  if (memory.state === 'new' || memory.lastReviewAt === null) return null;
  const today = studyDayOf(now, rolloverHour);
  const lastChance = exam.day - 1;
  if (lastChance <= today || studyDayOf(memory.due, rolloverHour) < exam.day) return null;
  const examStart = startOfStudyDay(exam.day, rolloverHour);
  if (scheduler.recall(memory, examStart) >= exam.targetRecall) return null;
  for (let day = lastChance; day > today; day -= 1) {
    const reviewAt = startOfStudyDay(day, rolloverHour);
    const after = scheduler.nextMemory(memory, (reviewAt - memory.lastReviewAt) / DAY_MS, GOOD);
    const recall = scheduler.recall(
      { state: 'review', stability: after.stability, lastReviewAt: reviewAt },
      examStart,
    );
    if (recall >= exam.targetRecall) return day;
  }
  return today + 1;
}

export interface ExamDayLoad {
  day: number;
  reviews: number;
  newCards: number;
}

export interface ExamPlan {
  days: ExamDayLoad[];
  /** New cards to start each day so all are learned before the exam. */
  newCardsPerDay: number;
  /** Mean predicted recall on the exam day if the plan is followed (every review answered Good). */
  expectedRecall: number;
  /** Mean predicted recall on the exam day with no more study (new cards count as 0). */
  recallWithoutStudy: number;
  /** Set when the plan asks more of a day than the deck's limits allow, or time has run out. */
  warning: string | null;
}

/**
 * Simulates the deck until the exam: each review answered Good on the day it is due (pulled
 * before the exam where needed), new cards spread evenly over the days left. Cards already due
 * are counted today. The figures are a forecast, not a promise; the warning says when they exceed
 * what the student set as a day's work.
 */
export function planForExam(
  scheduler: FsrsScheduler,
  cards: readonly CardMemory[],
  exam: ExamTarget,
  now: number,
  limits: Pick<SchedulingOptions, 'newCardsPerDay' | 'reviewsPerDay'>,
  rolloverHour = DEFAULT_ROLLOVER_HOUR,
): ExamPlan {
  const today = studyDayOf(now, rolloverHour);
  const examStart = startOfStudyDay(exam.day, rolloverHour);
  const studyDays = Math.max(0, exam.day - today);
  const days: ExamDayLoad[] = Array.from({ length: studyDays }, (_, index) => ({
    day: today + index,
    reviews: 0,
    newCards: 0,
  }));
  const newCards = cards.filter((card) => card.state === 'new').length;
  const newCardsPerDay = studyDays === 0 ? newCards : Math.ceil(newCards / studyDays);

  let recallSum = 0;
  let recallWithoutStudySum = 0;
  const follow = (start: CardMemory, firstDay: number) => {
    let memory = start;
    for (let day = firstDay; day < exam.day;) {
      const reviewAt = Math.max(now, startOfStudyDay(day, rolloverHour));
      const elapsed = memory.lastReviewAt === null ? 0 : (reviewAt - memory.lastReviewAt) / DAY_MS;
      const next = scheduler.nextMemory(memory, elapsed, GOOD);
      days[day - today]!.reviews += 1;
      memory = {
        ...memory,
        state: 'review',
        stability: next.stability,
        difficulty: next.difficulty,
        lastReviewAt: reviewAt,
      };
      const interval = scheduler.intervalDays(next.stability, elapsed);
      memory.due = startOfStudyDay(day + interval, rolloverHour);
      day = examReviewDay(scheduler, memory, reviewAt, exam, rolloverHour) ?? day + interval;
    }
    return scheduler.recall(memory, examStart);
  };

  let introduced = 0;
  for (const card of cards) {
    recallWithoutStudySum += scheduler.recall(card, examStart);
    if (card.state === 'new') {
      const day = today + Math.floor(introduced / Math.max(1, newCardsPerDay));
      introduced += 1;
      if (day >= exam.day) continue;
      days[day - today]!.newCards += 1;
      // Learning steps done on the day it is introduced: its first memory is a Good first answer.
      const first = scheduler.nextMemory({ stability: 0, difficulty: 0 }, 0, GOOD);
      const learnedAt = Math.max(now, startOfStudyDay(day, rolloverHour));
      const learned: CardMemory = {
        ...card,
        state: 'review',
        ...first,
        lastReviewAt: learnedAt,
        due: learnedAt + scheduler.intervalDays(first.stability, 0) * DAY_MS,
      };
      const next = examReviewDay(scheduler, learned, learnedAt, exam, rolloverHour);
      recallSum += follow(learned, next ?? studyDayOf(learned.due, rolloverHour));
    } else if (card.state === 'learning' || card.state === 'relearning') {
      recallSum += follow(card, today);
    } else {
      const pulled = examReviewDay(scheduler, card, card.lastReviewAt ?? now, exam, rolloverHour);
      recallSum += follow(card, Math.max(today, pulled ?? studyDayOf(card.due, rolloverHour)));
    }
  }

  return {
    days,
    newCardsPerDay,
    expectedRecall: cards.length ? recallSum / cards.length : 1,
    recallWithoutStudy: cards.length ? recallWithoutStudySum / cards.length : 1,
    warning: planWarning(days, newCards, newCardsPerDay, limits),
  };
}

function planWarning(
  days: ExamDayLoad[],
  newCards: number,
  newCardsPerDay: number,
  limits: Pick<SchedulingOptions, 'newCardsPerDay' | 'reviewsPerDay'>,
): string | null {
  if (days.length === 0) {
    return 'The exam is today or past, so there is no time left to plan reviews for it.';
  }
  if (newCards > 0 && newCardsPerDay > limits.newCardsPerDay) {
    return `To learn all ${newCards} new cards before the exam you would need ${newCardsPerDay} new cards a day, more than this deck's limit of ${limits.newCardsPerDay}. Raise the limit, start earlier, or expect lower recall on the exam day.`;
  }
  const busiest = days.reduce((max, day) => (day.reviews > max.reviews ? day : max), days[0]!);
  if (busiest.reviews > limits.reviewsPerDay) {
    return `The plan needs up to ${busiest.reviews} reviews on one day, more than this deck's limit of ${limits.reviewsPerDay}. Raise the limit or expect lower recall on the exam day.`;
  }
  return null;
}
