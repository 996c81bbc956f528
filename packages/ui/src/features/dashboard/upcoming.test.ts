import { describe, expect, it } from 'vitest';
import { makeClass, newId } from '../../test-support/fixtures';
import { parseLocalDate, startOfWeek, upcoming } from './upcoming';

// Tests run in America/Los_Angeles (see vite.config.ts): west of UTC, with daylight saving.
const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);
const exam = (title: string, date: string, time?: string) => ({
  id: newId(),
  title,
  date,
  ...(time ? { time } : {}),
});

it('runs in a zone west of UTC with daylight saving, so the date tests below mean something', () => {
  expect(at(2026, 1, 15).getTimezoneOffset()).toBe(480);
  expect(at(2026, 7, 15).getTimezoneOffset()).toBe(420);
});

describe('upcoming meetings', () => {
  // Saturday 17 October 2026, 10:00
  const saturday = at(2026, 10, 17, 10);

  it('wraps past the end of the week into next week', () => {
    const physics = makeClass({
      name: 'Physics',
      schedule: [
        { day: 5, start: '14:00', end: '15:30' },
        { day: 1, start: '09:00', end: '10:30', location: 'Hall B' },
      ],
    });
    const { meetings } = upcoming([physics], saturday, { days: 7 });
    expect(meetings.map((m) => m.start)).toEqual([at(2026, 10, 19, 9), at(2026, 10, 23, 14)]);
    expect(meetings[0]).toMatchObject({
      className: 'Physics',
      location: 'Hall B',
      end: at(2026, 10, 19, 10, 30),
    });
  });

  it('counts today until the same time a week later: a meeting over today comes back next week', () => {
    const art = makeClass({
      name: 'Art',
      schedule: [
        { day: 6, start: '08:00', end: '09:00' }, // over today at 10:00: next Saturday is within 7 days
        { day: 6, start: '11:00', end: '12:00' }, // later today; next Saturday's is past the window
      ],
    });
    const { meetings } = upcoming([art], saturday, { days: 7 });
    expect(meetings.map((m) => m.start)).toEqual([at(2026, 10, 17, 11), at(2026, 10, 24, 8)]);
  });

  it('includes a meeting that is in progress and marks it so', () => {
    const chem = makeClass({ name: 'Chemistry', schedule: [{ day: 6, start: '09:30', end: '11:00' }] });
    const [first] = upcoming([chem], saturday).meetings;
    expect(first).toMatchObject({ start: at(2026, 10, 17, 9, 30), inProgress: true });
  });

  it('keeps local wall-clock times across a daylight-saving change', () => {
    // Clocks go back on Sunday 1 November 2026 in Los Angeles.
    const history = makeClass({ name: 'History', schedule: [{ day: 1, start: '09:00', end: '10:00' }] });
    const [monday] = upcoming([history], at(2026, 10, 31, 12)).meetings;
    expect(monday?.start.getDate()).toBe(2);
    expect(monday?.start.getHours()).toBe(9);
  });

  it('puts Sunday in this week or next week depending on when the week starts', () => {
    const music = makeClass({ name: 'Music', schedule: [{ day: 7, start: '10:00', end: '11:00' }] });
    expect(upcoming([music], saturday, { weekStartsOn: 'monday' }).meetings[0]?.week).toBe('this');
    expect(upcoming([music], saturday, { weekStartsOn: 'sunday' }).meetings[0]?.week).toBe('next');
  });

  it('sorts meetings of different classes by time and leaves archived classes out', () => {
    const a = makeClass({ name: 'Algebra', schedule: [{ day: 2, start: '13:00', end: '14:00' }] });
    const b = makeClass({ name: 'Biology', schedule: [{ day: 2, start: '08:00', end: '09:00' }] });
    const old = makeClass({
      name: 'Old',
      archived: true,
      schedule: [{ day: 1, start: '08:00', end: '09:00' }],
    });
    expect(upcoming([a, old, b], saturday).meetings.map((m) => m.className)).toEqual(['Biology', 'Algebra']);
  });
});

describe('upcoming exams', () => {
  const now = at(2026, 10, 17, 10);

  it('lists exams in the next 60 days soonest first, across classes, leaving past ones out', () => {
    const maths = makeClass({
      name: 'Maths',
      exams: [
        exam('Final', '2026-12-16'), // day 60: included
        exam('Quiz 1', '2026-10-16'), // yesterday
        exam('Midterm', '2026-10-20', '09:00'),
        exam('Resit', '2026-12-17'), // day 61
      ],
    });
    const physics = makeClass({
      name: 'Physics',
      exams: [
        exam('Lab test', '2026-10-17', '08:00'), // started two hours ago
        exam('Oral', '2026-10-17'), // today, no time: still today
        exam('Midterm', '2026-10-19', '14:00'),
      ],
    });
    const { exams } = upcoming([maths, physics], now);
    expect(exams.map((e) => `${e.className}: ${e.title} (${e.daysAway})`)).toEqual([
      'Physics: Oral (0)',
      'Physics: Midterm (2)',
      'Maths: Midterm (3)',
      'Maths: Final (60)',
    ]);
  });

  it('reads exam dates as local dates, not UTC', () => {
    const c = makeClass({ name: 'Law', exams: [exam('Essay', '2026-10-18')] });
    const [essay] = upcoming([c], now).exams;
    expect(essay?.at).toEqual(at(2026, 10, 18));
    expect(essay?.daysAway).toBe(1);
  });

  it('counts days away in calendar days across a daylight-saving change', () => {
    const c = makeClass({ name: 'Law', exams: [exam('Final', '2026-11-03', '10:00')] });
    expect(upcoming([c], at(2026, 10, 31, 23)).exams[0]?.daysAway).toBe(3);
  });
});

describe('date helpers', () => {
  it('parses YYYY-MM-DD as a local date and rejects impossible dates', () => {
    expect(parseLocalDate('2026-02-28')).toEqual(at(2026, 2, 28));
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('14/12/2026')).toBeNull();
  });

  it('finds the start of the week for either first weekday', () => {
    expect(startOfWeek(at(2026, 10, 18, 15), 'monday')).toEqual(at(2026, 10, 12));
    expect(startOfWeek(at(2026, 10, 18, 15), 'sunday')).toEqual(at(2026, 10, 18));
    expect(startOfWeek(at(2026, 10, 17, 15), 'sunday')).toEqual(at(2026, 10, 11));
  });
});
