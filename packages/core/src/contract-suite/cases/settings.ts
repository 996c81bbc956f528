import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

export const settingsCases: ContractCase[] = [
  {
    name: 'reads default settings, persists a change and announces it',
    async run(client) {
      const { value, failure, event } = tools(client);
      expect(await value('settings.get')).toEqual({
        theme: 'system',
        weekStartsOn: 'monday',
        jobConcurrency: 2,
        embeddingModelId: null,
        tutorEngine: { kind: 'auto' },
        transcriptionModelId: null,
        transcriptionLanguage: 'en',
      });
      const updated = await value('settings.update', { theme: 'dark' });
      expect(updated.theme).toBe('dark');
      expect(await value('settings.get')).toMatchObject({ theme: 'dark', weekStartsOn: 'monday' });
      await event('settings.changed', ({ payload }) => payload.settings.theme === 'dark');
      const error = await failure('settings.update', { theme: 'purple', unknownKey: 1 });
      expect(error.code).toBe('INVALID_INPUT');
      expect((await value('settings.get')).theme).toBe('dark');
    },
  },
];
