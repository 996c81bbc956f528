import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

export const jobCases: ContractCase[] = [
  {
    name: 'lists no jobs at first; a job that does not exist is NOT_FOUND',
    async run(client) {
      const { value, failure } = tools(client);
      expect(await value('jobs.list', {})).toEqual([]);
      const id = crypto.randomUUID();
      expect((await failure('jobs.get', { id })).code).toBe('NOT_FOUND');
      expect((await failure('jobs.cancel', { id })).code).toBe('NOT_FOUND');
    },
  },
];
