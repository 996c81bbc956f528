import type { ErrorTexts } from '../../app/error-messages';

/** The names the class form gives the fields of classes.create and classes.update. */
export const CLASS_ERROR_TEXTS: ErrorTexts = {
  fields: {
    name: 'Name',
    code: 'Code',
    term: 'Term',
    color: 'Colour',
    instructor: 'Instructor',
    schedule: 'Weekly schedule',
    exams: 'Exams',
    day: 'day',
    start: 'start',
    end: 'end',
    location: 'location',
    title: 'title',
    date: 'date',
    time: 'time',
  },
  rows: { schedule: 'meeting', exams: 'exam' },
};
