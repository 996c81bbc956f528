import type { ClassMeeting, Settings } from '@little-monster/core/contract';

export type WeekStart = Settings['weekStartsOn'];

/** ISO weekday names: index 1 = Monday … 7 = Sunday (index 0 unused). */
export const WEEKDAY_NAMES = [
  '',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
export const WEEKDAY_SHORT = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The ISO weekdays (1 = Monday … 7 = Sunday) in the order the student's week runs. */
export function weekdaysInOrder(weekStartsOn: WeekStart): number[] {
  return weekStartsOn === 'sunday' ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
}

/** Weekly meetings sorted by the student's week, then by start time. */
export function sortMeetings<T extends ClassMeeting>(meetings: readonly T[], weekStartsOn: WeekStart): T[] {
  const order = weekdaysInOrder(weekStartsOn);
  return [...meetings].sort(
    (a, b) => order.indexOf(a.day) - order.indexOf(b.day) || a.start.localeCompare(b.start),
  );
}

export function formatMeeting(meeting: ClassMeeting): string {
  const when = `${WEEKDAY_SHORT[meeting.day] ?? '?'} ${meeting.start}–${meeting.end}`;
  return meeting.location ? `${when}, ${meeting.location}` : when;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const fullDateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDay = (date: Date) => dayFormat.format(date);
export const formatFullDate = (date: Date) => fullDateFormat.format(date);
export const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
};
export const formatDateTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
};

/** "today", "tomorrow", "in 5 days". */
export function formatDaysAway(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
