import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

const biology = {
  name: 'Cell Biology',
  code: 'BIO 201',
  term: 'Fall 2026',
  color: '#2f9e44',
  instructor: 'Dr. Okafor',
  schedule: [
    { day: 1, start: '09:00', end: '10:15', location: 'Hall B' },
    { day: 3, start: '09:00', end: '10:15' },
  ],
  exams: [
    { title: 'Final', date: '2026-12-14', time: '13:00' },
    { title: 'Midterm', date: '2026-10-20' },
  ],
};

export const classCases: ContractCase[] = [
  {
    name: 'creates a class with its schedule and exams, and lists it',
    async run(client) {
      const { value, event } = tools(client);
      const created = await value('classes.create', biology);
      expect(created).toMatchObject({
        name: 'Cell Biology',
        code: 'BIO 201',
        archived: false,
        schedule: biology.schedule,
      });
      expect(created.exams.map((exam) => exam.title)).toEqual(['Midterm', 'Final']); // by date
      expect(created.exams[1]).toMatchObject({ date: '2026-12-14', time: '13:00' });
      expect(await value('classes.list')).toEqual([created]);
      await event('classes.changed', ({ payload }) => payload.ids.includes(created.id));
    },
  },
  {
    name: 'applies defaults for the optional fields',
    async run(client) {
      const created = await tools(client).value('classes.create', { name: 'Ethics' });
      expect(created).toMatchObject({
        code: '',
        term: '',
        instructor: '',
        color: '#4f7cff',
        schedule: [],
        exams: [],
      });
    },
  },
  {
    name: 'changes only the fields a patch names, and replaces exams when they are sent',
    async run(client) {
      const { value } = tools(client);
      const created = await value('classes.create', biology);
      const renamed = await value('classes.update', { id: created.id, patch: { name: 'Molecular Biology' } });
      expect(renamed).toMatchObject({
        name: 'Molecular Biology',
        code: 'BIO 201',
        schedule: biology.schedule,
      });
      expect(renamed.exams).toHaveLength(2);
      const [midterm] = renamed.exams;
      const kept = await value('classes.update', {
        id: created.id,
        patch: {
          exams: [
            { id: midterm!.id, title: 'Midterm 1', date: midterm!.date },
            { title: 'Lab test', date: '2026-11-02' },
          ],
        },
      });
      expect(kept.exams.find((exam) => exam.title === 'Midterm 1')?.id).toBe(midterm!.id);
      expect(kept.exams.find((exam) => exam.title === 'Lab test')?.id).not.toBe(midterm!.id);
      const fewer = await value('classes.update', {
        id: created.id,
        patch: { exams: [{ title: 'Quiz', date: '2026-11-30' }] },
      });
      expect(fewer.exams.map((exam) => exam.title)).toEqual(['Quiz']);
      expect((await value('classes.get', { id: created.id })).name).toBe('Molecular Biology');
    },
  },
  {
    name: 'hides archived classes unless asked, and brings them back when unarchived',
    async run(client) {
      const { value } = tools(client);
      const kept = await value('classes.create', { name: 'Kept' });
      const old = await value('classes.create', { name: 'Old' });
      await value('classes.update', { id: old.id, patch: { archived: true } });
      expect((await value('classes.list')).map((c) => c.id)).toEqual([kept.id]);
      const all = await value('classes.list', { includeArchived: true });
      expect(all.map((c) => [c.name, c.archived])).toEqual([
        ['Kept', false],
        ['Old', true],
      ]);
      await value('classes.update', { id: old.id, patch: { archived: false } });
      expect(await value('classes.list')).toHaveLength(2);
    },
  },
  {
    name: 'reorders classes and keeps that order',
    async run(client) {
      const { value, failure } = tools(client);
      const a = await value('classes.create', { name: 'A' });
      const b = await value('classes.create', { name: 'B' });
      const c = await value('classes.create', { name: 'C' });
      await value('classes.reorder', { ids: [c.id, a.id] });
      expect((await value('classes.list')).map((x) => x.name)).toEqual(['C', 'A', 'B']);
      expect((await failure('classes.reorder', { ids: [a.id, a.id] })).code).toBe('INVALID_INPUT');
      expect((await failure('classes.reorder', { ids: [b.id, crypto.randomUUID()] })).code).toBe('NOT_FOUND');
      expect((await value('classes.list')).map((x) => x.name)).toEqual(['C', 'A', 'B']);
    },
  },
  {
    name: 'deletes a class and its exams; a second delete is NOT_FOUND',
    async run(client) {
      const { value, failure } = tools(client);
      const created = await value('classes.create', biology);
      expect(await value('classes.delete', { id: created.id })).toEqual({ id: created.id });
      expect(await value('classes.list', { includeArchived: true })).toEqual([]);
      expect((await failure('classes.get', { id: created.id })).code).toBe('NOT_FOUND');
      const again = await failure('classes.delete', { id: created.id });
      expect(again.code).toBe('NOT_FOUND');
      expect(again.message).toMatch(/no longer exists/);
    },
  },
  {
    name: 'rejects invalid input naming the fields, and stores nothing',
    async run(client) {
      const { value, failure } = tools(client);
      const error = await failure('classes.create', {
        name: '  ',
        schedule: [{ day: 2, start: '14:00', end: '13:00' }],
        exams: [{ title: 'Final', date: '14/12/2026' }],
      });
      expect(error.code).toBe('INVALID_INPUT');
      const paths = (error.details as { path: string }[]).map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['name', 'schedule.0.end', 'exams.0.date']));
      expect(await value('classes.list', { includeArchived: true })).toEqual([]);
      expect((await failure('classes.update', { id: 'not-a-uuid', patch: { name: 'x' } })).code).toBe(
        'INVALID_INPUT',
      );
      expect((await failure('classes.get', { id: crypto.randomUUID() })).code).toBe('NOT_FOUND');
      expect((await failure('no.such.procedure', {})).code).toBe('INVALID_INPUT');
    },
  },
];
