import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

export const libraryCases: ContractCase[] = [
  {
    name: 'pastes text as a material of a class, renames it, moves it out of the class and deletes it',
    async run(client) {
      const { value, failure, event } = tools(client);
      const biology = await value('classes.create', { name: 'Biology' });
      const outcome = await value('materials.pasteText', {
        classId: biology.id,
        title: 'Cell notes',
        text: 'The membrane is a lipid bilayer with proteins in it.',
      });
      expect(outcome.name).toBe('Cell notes.txt');
      const id = outcome.materialId!;
      expect(await value('materials.get', { id })).toMatchObject({
        title: 'Cell notes',
        classId: biology.id,
        sourceName: 'Cell notes.txt',
        mimeType: 'text/plain',
      });
      await event('materials.changed', ({ payload }) => payload.ids.includes(id));
      expect((await value('materials.list', { classId: biology.id })).items.map((m) => m.id)).toEqual([id]);

      expect((await value('materials.update', { id, patch: { title: 'Membranes' } })).title).toBe(
        'Membranes',
      );
      expect((await value('materials.update', { id, patch: { classId: null } })).classId).toBeNull();
      expect(await value('materials.list', { classId: biology.id })).toEqual({ items: [], total: 0 });
      expect((await value('materials.list', { classId: 'unfiled' })).items.map((m) => m.title)).toEqual([
        'Membranes',
      ]);

      expect(await value('materials.delete', { ids: [id] })).toEqual({ deleted: [id] });
      expect((await failure('materials.get', { id })).code).toBe('NOT_FOUND');
      expect((await failure('materials.delete', { ids: [id] })).code).toBe('NOT_FOUND');
      expect((await value('materials.list', {})).total).toBe(0);
    },
  },
  {
    name: 'refuses a class that does not exist, and adds nothing',
    async run(client) {
      const { value, failure } = tools(client);
      const gone = crypto.randomUUID();
      const error = await failure('materials.pasteText', {
        classId: gone,
        title: 'Notes',
        text: 'Some text.',
      });
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toMatch(/class/);
      expect((await value('materials.list', {})).total).toBe(0);
      const { materialId } = await value('materials.pasteText', {
        classId: null,
        title: 'Notes',
        text: 'Text.',
      });
      expect((await failure('materials.update', { id: materialId, patch: { classId: gone } })).code).toBe(
        'NOT_FOUND',
      );
      expect((await value('materials.get', { id: materialId! })).classId).toBeNull();
    },
  },
];
