import { lectureCases } from '@little-monster/core/contract-suite';
import { describe, it } from 'vitest';
import { contractClient } from '../../../test-support/contract-client';
import { createLecturesTestEngine } from './lectures-test-engine';

describe('the in-memory lectures engine keeps the contract', () => {
  for (const { name, run } of lectureCases) it(name, () => run(contractClient(createLecturesTestEngine())));
});
