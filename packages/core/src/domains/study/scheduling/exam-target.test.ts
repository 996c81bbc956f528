import { describe, expect, it } from 'vitest';
import { planForExam } from './exam-target.js';
import { FsrsScheduler, NEW_CARD_MEMORY, type CardMemory } from './fsrs-scheduler.js';
import { DEFAULT_SCHEDULING_OPTIONS } from './scheduling-options.js';
import { DAY_MS, startOfStudyDay, studyDayOf } from './study-day.js';

const NOW = Date.UTC(2025, 2, 3, 10, 0);
const scheduler = new FsrsScheduler({ ...DEFAULT_SCHEDULING_OPTIONS, fuzz: false });
const limits = { newCardsPerDay: 20, reviewsPerDay: 200 };

function reviewCards(count: number): CardMemory[] {
  return Array.from({ length: count }, (_, index) => {
    const stability = 2 + (index % 30);
    const lastReviewAt = NOW - ((index % 7) + 1) * DAY_MS;
    return {
      state: 'review',
      stability,
      difficulty: 4 + (index % 5),
      reps: 3,
      lapses: 0,
      learningStep: 0,
      lastReviewAt,
      scheduledDays: Math.round(stability),
      due: lastReviewAt + Math.round(stability) * DAY_MS,
    };
  });
}

describe('planning a deck for its exam', () => {
  it('spreads new cards over the days left and reaches the target on the exam day', () => {
    const cards = [...reviewCards(60), ...Array.from({ length: 100 }, () => NEW_CARD_MEMORY)];
    const exam = { day: studyDayOf(NOW) + 14, targetRecall: 0.9 };
    const plan = planForExam(scheduler, cards, exam, NOW, limits);

    expect(plan.days).toHaveLength(14);
    expect(plan.days[0]!.day).toBe(studyDayOf(NOW));
    expect(plan.newCardsPerDay).toBe(Math.ceil(100 / 14));
    expect(plan.days.reduce((sum, day) => sum + day.newCards, 0)).toBe(100);
    expect(Math.max(...plan.days.map((day) => day.newCards))).toBeLessThanOrEqual(plan.newCardsPerDay);
    // New cards come back for review after they are learned; weak review cards come back too.
    expect(plan.days.reduce((sum, day) => sum + day.reviews, 0)).toBeGreaterThan(100);
    expect(plan.expectedRecall).toBeGreaterThanOrEqual(0.9);
    expect(plan.recallWithoutStudy).toBeLessThan(0.5);
    expect(plan.warning).toBeNull();
  });

  it('warns when the new cards do not fit the daily limit before the exam', () => {
    const cards = Array.from({ length: 300 }, () => NEW_CARD_MEMORY);
    const plan = planForExam(scheduler, cards, { day: studyDayOf(NOW) + 5, targetRecall: 0.9 }, NOW, limits);
    expect(plan.newCardsPerDay).toBe(60);
    expect(plan.warning).toBe(
      "To learn all 300 new cards before the exam you would need 60 new cards a day, more than this deck's limit of 20. Raise the limit, start earlier, or expect lower recall on the exam day.",
    );
  });

  it('warns when one day would need more reviews than the daily limit', () => {
    const plan = planForExam(
      scheduler,
      reviewCards(80),
      { day: studyDayOf(NOW) + 10, targetRecall: 0.95 },
      NOW,
      {
        newCardsPerDay: 20,
        reviewsPerDay: 10,
      },
    );
    const busiest = Math.max(...plan.days.map((day) => day.reviews));
    expect(busiest).toBeGreaterThan(10);
    expect(plan.warning).toContain(`up to ${busiest} reviews on one day`);
  });

  it('says there is no time left when the exam is today', () => {
    const plan = planForExam(
      scheduler,
      reviewCards(3),
      { day: studyDayOf(NOW), targetRecall: 0.9 },
      NOW,
      limits,
    );
    expect(plan.days).toEqual([]);
    expect(plan.warning).toBe('The exam is today or past, so there is no time left to plan reviews for it.');
    // Recall on the exam day is then just the forgetting curve from each card's last review.
    const examStart = startOfStudyDay(studyDayOf(NOW));
    const expected = reviewCards(3).reduce((sum, card) => sum + scheduler.recall(card, examStart), 0) / 3;
    expect(plan.expectedRecall).toBeCloseTo(expected, 10);
  });
});
