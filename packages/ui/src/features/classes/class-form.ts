import type { ClassInput, ClassPatch, FieldIssue, StudyClass } from '@little-monster/core/contract';
import { fieldPath } from '../../app/error-messages';

export interface MeetingRow {
  key: string;
  day: number;
  start: string;
  end: string;
  location: string;
}

export interface ExamRow {
  key: string;
  /** Set for an exam already stored, so saving keeps it the same exam. */
  id?: string;
  title: string;
  date: string;
  time: string;
}

export interface ClassFormValues {
  name: string;
  code: string;
  term: string;
  color: string;
  instructor: string;
  schedule: MeetingRow[];
  exams: ExamRow[];
}

export const DEFAULT_COLOR = '#4f7cff';

let nextKey = 0;
const rowKey = () => `row-${++nextKey}`;

export const emptyForm = (): ClassFormValues => ({
  name: '',
  code: '',
  term: '',
  color: DEFAULT_COLOR,
  instructor: '',
  schedule: [],
  exams: [],
});

export function formFromClass(cls: StudyClass): ClassFormValues {
  return {
    name: cls.name,
    code: cls.code,
    term: cls.term,
    color: cls.color,
    instructor: cls.instructor,
    schedule: cls.schedule.map((m) => ({ key: rowKey(), ...m, location: m.location ?? '' })),
    exams: cls.exams.map((e) => ({
      key: rowKey(),
      id: e.id,
      title: e.title,
      date: e.date,
      time: e.time ?? '',
    })),
  };
}

/** A new meeting row: the day after the previous row's, at the same times (classes often repeat). */
export function newMeetingRow(previous?: MeetingRow): MeetingRow {
  return previous
    ? {
        key: rowKey(),
        day: (previous.day % 7) + 1,
        start: previous.start,
        end: previous.end,
        location: previous.location,
      }
    : { key: rowKey(), day: 1, start: '09:00', end: '10:00', location: '' };
}

export const newExamRow = (): ExamRow => ({ key: rowKey(), title: '', date: '', time: '' });

type ClassFields = Required<Omit<ClassInput, 'schedule' | 'exams'>> &
  Pick<Required<ClassInput>, 'schedule' | 'exams'>;

/** What the form sends: empty optional parts (a meeting's location, an exam's time) are left out. */
export function formToInput(values: ClassFormValues): ClassFields {
  return {
    name: values.name,
    code: values.code,
    term: values.term,
    color: values.color,
    instructor: values.instructor,
    schedule: values.schedule.map(({ day, start, end, location }) => ({
      day,
      start,
      end,
      ...(location.trim() ? { location } : {}),
    })),
    exams: values.exams.map(({ id, title, date, time }) => ({
      ...(id ? { id } : {}),
      title,
      date,
      ...(time ? { time } : {}),
    })),
  };
}

/**
 * Only what changed, so an edit does not replace unchanged exams (sending `exams` replaces the
 * whole list). An empty patch means there is nothing to save.
 */
export function changedFields(original: StudyClass, input: ClassFields): ClassPatch {
  const before = formToInput(formFromClass(original));
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(input) as (keyof ClassFields)[]) {
    if (JSON.stringify(input[key]) !== JSON.stringify(before[key])) patch[key] = input[key];
  }
  return patch as ClassPatch;
}

const FIELD_PATH =
  /^(name|code|term|color|instructor|schedule\.\d+\.(day|start|end|location)|exams\.\d+\.(title|date|time))$/;

/** Splits INVALID_INPUT issues into those shown beside a field and those shown above the form. */
export function splitIssues(issues: FieldIssue[]): { fields: Record<string, string>; general: FieldIssue[] } {
  const fields: Record<string, string> = {};
  const general: FieldIssue[] = [];
  for (const issue of issues) {
    const path = fieldPath(issue.path);
    if (FIELD_PATH.test(path)) fields[path] ??= issue.message;
    else general.push({ path, message: issue.message });
  }
  return { fields, general };
}
