/**
 * The student's day: local calendar days that roll over at 4 a.m. (as in Anki), so reviews done
 * after midnight still count for the evening they belong to. Days are numbered from 1970-01-01.
 */
export const DAY_MS = 86_400_000;
export const DEFAULT_ROLLOVER_HOUR = 4;

export function studyDayOf(at: number, rolloverHour = DEFAULT_ROLLOVER_HOUR): number {
  const shifted = new Date(at - rolloverHour * 3_600_000);
  return Math.round(Date.UTC(shifted.getFullYear(), shifted.getMonth(), shifted.getDate()) / DAY_MS);
}

/** When study day `day` begins, in epoch milliseconds (local time, so daylight saving is honoured). */
export function startOfStudyDay(day: number, rolloverHour = DEFAULT_ROLLOVER_HOUR): number {
  const date = new Date(day * DAY_MS);
  return new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), rolloverHour).getTime();
}

/** Monday = 0 … Sunday = 6, matching `SchedulingOptions.easyDays`. */
export function weekdayOfStudyDay(day: number): number {
  return (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
}
