import { settingsCases, tutorCases } from '@little-monster/core/contract-suite';
import { describe, it } from 'vitest';
import { contractClient } from '../../../test-support/contract-client';
import { createTutorTestEngine } from './tutor-test-engine';

describe('the in-memory tutor engine keeps the contract', () => {
  for (const { name, run } of [...settingsCases, ...tutorCases])
    it(name, () => run(contractClient(createTutorTestEngine())));
});
