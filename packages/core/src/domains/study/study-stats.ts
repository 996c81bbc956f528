import type { StudyScope, StudyStats } from '../../contract/index.js';
import { DAY_MS, startOfStudyDay, studyDayOf } from './scheduling/study-day.js';
import type { StudyRepository } from './study-repository.js';

const YEAR_DAYS = 365;
const FORECAST_DAYS = 30;

/** A study day as its ISO date ("2026-12-07"). */
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The numbers behind the Statistics page, read from the review log and the cards' scheduling
 * columns: answers and minutes per day, true retention (answers to cards in review that were not
 * Again), what falls due in the next 30 days, card states and the streak.
 */
export function studyStats(repo: StudyRepository, scope: StudyScope, now: number): StudyStats {
  const deckIds = repo.decks(scope).map((deck) => deck.id);
  const today = studyDayOf(now);
  const answers = repo.answersInDecks(deckIds, startOfStudyDay(today - YEAR_DAYS + 1));

  const perDay = new Map<number, { reviews: number; ms: number }>();
  const perMonth = new Map<string, { reviews: number; passed: number }>();
  let recent = { reviews: 0, passed: 0 };
  let ms30 = 0;
  for (const answer of answers) {
    const day = studyDayOf(answer.at);
    const counted = perDay.get(day) ?? { reviews: 0, ms: 0 };
    counted.reviews += 1;
    counted.ms += answer.durationMs;
    perDay.set(day, counted);
    if (today - day < 30) ms30 += answer.durationMs;
    if (answer.stateBefore !== 'review') continue;
    const passed = answer.rating > 1 ? 1 : 0;
    const month = isoDay(day).slice(0, 7);
    const monthly = perMonth.get(month) ?? { reviews: 0, passed: 0 };
    perMonth.set(month, { reviews: monthly.reviews + 1, passed: monthly.passed + passed });
    if (today - day < 30) recent = { reviews: recent.reviews + 1, passed: recent.passed + passed };
  }

  let streak = 0;
  for (let day = perDay.has(today) ? today : today - 1; perDay.has(day); day--) streak += 1;

  const forecast = Array.from({ length: FORECAST_DAYS }, (_, offset) => ({
    date: isoDay(today + offset),
    due: 0,
  }));
  for (const due of repo.dueTimes(deckIds, startOfStudyDay(today + FORECAST_DAYS))) {
    forecast[Math.max(0, studyDayOf(due) - today)]!.due += 1;
  }

  const states = { new: 0, learning: 0, review: 0, relearning: 0, suspended: 0 };
  for (const { state, suspended, count } of repo.stateCounts(deckIds)) {
    if (suspended) states.suspended += count;
    else if (state in states) states[state as keyof typeof states] += count;
  }

  return {
    reviewsPerDay: [...perDay]
      .sort(([a], [b]) => a - b)
      .map(([day, { reviews, ms }]) => ({ date: isoDay(day), reviews, minutes: Math.round(ms / 6000) / 10 })),
    retentionByMonth: [...perMonth]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([month, counts]) => ({ month, ...counts })),
    retention30Days: recent.reviews > 0 ? recent.passed / recent.reviews : null,
    forecast,
    states,
    streak,
    minutes30Days: Math.round(ms30 / 6000) / 10,
  };
}
