import { libraryCases } from '@little-monster/core/contract-suite';
import { describe, it } from 'vitest';
import { contractClient } from '../../../test-support/contract-client';
import { createLibraryTestEngine } from './library-test-engine';

describe('the in-memory library engine keeps the contract', () => {
  for (const { name, run } of libraryCases) it(name, () => run(contractClient(createLibraryTestEngine())));
});
