import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

export const tutorCases: ContractCase[] = [
  {
    name: 'creates conversations for all classes or one, renames, lists by class and deletes them',
    async run(client) {
      const { value, failure, event } = tools(client);
      const biology = await value('classes.create', { name: 'Biology' });
      const general = await value('conversations.create', { classId: null });
      expect(general).toMatchObject({ classId: null, title: 'New conversation', messageCount: 0 });
      await event('conversations.changed', ({ payload }) => payload.ids.includes(general.id));
      const cells = await value('conversations.create', { classId: biology.id, title: 'Cells' });
      expect(cells).toMatchObject({ classId: biology.id, title: 'Cells' });

      expect((await value('conversations.list', { classId: biology.id })).map((c) => c.id)).toEqual([
        cells.id,
      ]);
      expect((await value('conversations.list', { classId: null })).map((c) => c.id)).toEqual([general.id]);
      expect((await value('conversations.list', {})).map((c) => c.id).sort()).toEqual(
        [general.id, cells.id].sort(),
      );
      expect((await value('conversations.rename', { id: cells.id, title: 'Membranes' })).title).toBe(
        'Membranes',
      );
      expect(await value('conversations.get', { id: cells.id })).toMatchObject({
        conversation: { id: cells.id, title: 'Membranes' },
        messages: [],
      });

      expect(await value('conversations.delete', { id: cells.id })).toEqual({ id: cells.id });
      expect((await failure('conversations.get', { id: cells.id })).code).toBe('NOT_FOUND');
      expect((await failure('conversations.delete', { id: cells.id })).code).toBe('NOT_FOUND');
      expect((await failure('conversations.create', { classId: crypto.randomUUID() })).code).toBe(
        'NOT_FOUND',
      );
    },
  },
];
