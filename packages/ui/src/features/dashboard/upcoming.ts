import { SETTING_DEFAULTS, type StudyClass } from '@little-monster/core/contract';
import type { WeekStart } from '../../app/format';

export interface UpcomingOptions {
  /** Meetings from now until the same time this many days later. Default 7. */
  days?: number;
  /** Exams from today through this many days ahead. Default 60. */
  examDays?: number;
  /** Decides which meetings fall in "this week" and which in "next week". Default Monday. */
  weekStartsOn?: WeekStart;
}

export interface UpcomingMeeting {
  classId: string;
  className: string;
  color: string;
  start: Date;
  end: Date;
  location?: string;
  /** Started already and not over yet. */
  inProgress: boolean;
  week: 'this' | 'next' | 'later';
}

export interface UpcomingExam {
  classId: string;
  className: string;
  color: string;
  examId: string;
  title: string;
  /** As entered: "2026-12-14". */
  date: string;
  time?: string;
  /** Local start (midnight when the exam has no time). */
  at: Date;
  /** Calendar days from today: 0 today, 1 tomorrow. */
  daysAway: number;
}

export interface Upcoming {
  meetings: UpcomingMeeting[];
  exams: UpcomingExam[];
}

const DAY_MS = 86_400_000;

/** Calendar arithmetic in local time: adding days through the Date constructor keeps DST changes right. */
const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
const addDays = (date: Date, days: number) =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
/** 1 = Monday … 7 = Sunday */
const isoWeekday = (date: Date) => ((date.getDay() + 6) % 7) + 1;

function atTime(day: Date, time: string): Date {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes);
}

/** The local date of "YYYY-MM-DD" (not `new Date(string)`, which reads it as UTC midnight). */
export function parseLocalDate(iso: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getMonth() === month - 1 ? date : null;
}

export function startOfWeek(date: Date, weekStartsOn: WeekStart): Date {
  const day = startOfDay(date);
  const back = weekStartsOn === 'sunday' ? day.getDay() : isoWeekday(day) - 1;
  return addDays(day, -back);
}

const calendarDaysBetween = (from: Date, to: Date) =>
  Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);

/**
 * What is coming up for the student: weekly class meetings in the next `days` days (a meeting
 * still running counts) and exams in the next `examDays` days, both soonest first. Archived
 * classes are left out.
 */
export function upcoming(classes: readonly StudyClass[], now: Date, options: UpcomingOptions = {}): Upcoming {
  const days = options.days ?? 7;
  const examDays = options.examDays ?? 60;
  const weekStartsOn = options.weekStartsOn ?? SETTING_DEFAULTS.weekStartsOn;
  const active = classes.filter((cls) => !cls.archived);
  const today = startOfDay(now);
  const windowEnd = new Date(
    now.getFullYear(),
    now.getMonth(),
    now.getDate() + days,
    now.getHours(),
    now.getMinutes(),
    now.getSeconds(),
    now.getMilliseconds(),
  );
  const thisWeek = startOfWeek(now, weekStartsOn);

  const meetings: UpcomingMeeting[] = [];
  for (let offset = 0; offset <= days; offset++) {
    const day = addDays(today, offset);
    const weekday = isoWeekday(day);
    for (const cls of active) {
      for (const meeting of cls.schedule) {
        if (meeting.day !== weekday) continue;
        const start = atTime(day, meeting.start);
        const end = atTime(day, meeting.end);
        if (end <= now || start >= windowEnd) continue;
        const weeksAhead = Math.round(calendarDaysBetween(thisWeek, startOfWeek(start, weekStartsOn)) / 7);
        meetings.push({
          classId: cls.id,
          className: cls.name,
          color: cls.color,
          start,
          end,
          ...(meeting.location ? { location: meeting.location } : {}),
          inProgress: start <= now,
          week: weeksAhead === 0 ? 'this' : weeksAhead === 1 ? 'next' : 'later',
        });
      }
    }
  }
  meetings.sort((a, b) => a.start.getTime() - b.start.getTime() || a.className.localeCompare(b.className));

  const lastExamDay = addDays(today, examDays);
  const exams: UpcomingExam[] = [];
  for (const cls of active) {
    for (const exam of cls.exams) {
      const day = parseLocalDate(exam.date);
      if (!day || day < today || day > lastExamDay) continue;
      const at = exam.time ? atTime(day, exam.time) : day;
      // An exam with a time is over once it has started; one without a time lasts all day.
      if (exam.time && at < now) continue;
      exams.push({
        classId: cls.id,
        className: cls.name,
        color: cls.color,
        examId: exam.id,
        title: exam.title,
        date: exam.date,
        ...(exam.time ? { time: exam.time } : {}),
        at,
        daysAway: calendarDaysBetween(today, day),
      });
    }
  }
  exams.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      a.className.localeCompare(b.className) ||
      a.title.localeCompare(b.title),
  );

  return { meetings, exams };
}
