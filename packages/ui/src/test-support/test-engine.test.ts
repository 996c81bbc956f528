import { classCases, jobCases, settingsCases } from '@little-monster/core/contract-suite';
import { describe, it } from 'vitest';
import { contractClient } from './contract-client';
import { createTestEngine } from './test-engine';

describe('the in-memory test engine keeps the contract', () => {
  for (const { name, run } of [...classCases, ...settingsCases, ...jobCases])
    it(name, () => run(contractClient(createTestEngine())));
});
