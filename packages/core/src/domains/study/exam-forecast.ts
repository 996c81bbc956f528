import type { ExamForecast, StudyClass } from '../../contract/index.js';
import { planForExam, type ExamTarget } from './scheduling/exam-target.js';
import { DAY_MS, studyDayOf } from './scheduling/study-day.js';
import type { StudyRepository } from './study-repository.js';

/** Study days are numbered like calendar dates from 1970-01-01, so an ISO date maps to one directly. */
const dayOfDate = (isoDate: string) => Math.round(Date.parse(isoDate) / DAY_MS);
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The class's next exam from today on (the exam day itself counts), or null. */
export function nextExam(
  cls: StudyClass | null,
  now: number,
): { title: string; date: string; day: number } | null {
  const today = studyDayOf(now);
  const exam = cls?.exams
    .map((exam) => ({ title: exam.title, date: exam.date, day: dayOfDate(exam.date) }))
    .filter((exam) => exam.day >= today)
    .sort((a, b) => a.day - b.day)[0];
  return exam ?? null;
}

/**
 * Exam-day targeting for decks of a class with an exam: the target answers use (a deck set "ready
 * for the exam"), and the forecast the Study page shows (recall on the day, the work until then).
 */
export class ExamForecasts {
  constructor(
    private readonly repo: StudyRepository,
    private readonly classOf: (classId: string) => StudyClass | null,
  ) {}

  target(deckId: string, now: number): ExamTarget | null {
    const deck = this.repo.deck(deckId);
    if (deck.examTargetRecall === null || deck.classId === null) return null;
    const exam = nextExam(this.classOf(deck.classId), now);
    return exam ? { day: exam.day, targetRecall: deck.examTargetRecall } : null;
  }

  forecast(deckId: string, now: number): ExamForecast {
    const deck = this.repo.deck(deckId);
    const exam = deck.classId === null ? null : nextExam(this.classOf(deck.classId), now);
    if (!exam)
      return {
        exam: null,
        targetRecall: deck.examTargetRecall,
        expectedRecall: null,
        recallWithoutStudy: null,
        newCardsPerDay: 0,
        days: [],
        warning: null,
      };
    const options = this.repo.optionsOf(deck);
    const plan = planForExam(
      this.repo.schedulerOf(deck),
      this.repo.memories(deckId),
      { day: exam.day, targetRecall: deck.examTargetRecall ?? options.desiredRetention },
      now,
      options,
    );
    return {
      exam: { title: exam.title, date: exam.date },
      targetRecall: deck.examTargetRecall,
      expectedRecall: plan.expectedRecall,
      recallWithoutStudy: plan.recallWithoutStudy,
      newCardsPerDay: plan.newCardsPerDay,
      days: plan.days.map((day) => ({
        date: dateOfDay(day.day),
        reviews: day.reviews,
        newCards: day.newCards,
      })),
      warning: plan.warning,
    };
  }
}
