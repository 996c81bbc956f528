import type { StudyClass } from '@little-monster/core/contract';

let counter = 0;
const uuid = () => {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
};

/** A class as the engine returns it, with test-chosen fields. */
export function makeClass(fields: Partial<StudyClass> & { name: string }): StudyClass {
  return {
    id: uuid(),
    code: '',
    term: '',
    color: '#4f7cff',
    instructor: '',
    schedule: [],
    exams: [],
    archived: false,
    sortOrder: counter,
    createdAt: '2026-09-01T08:00:00.000Z',
    updatedAt: '2026-09-01T08:00:00.000Z',
    ...fields,
  };
}

export const newId = uuid;
