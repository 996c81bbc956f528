/**
 * The contract's behaviour as cases any engine must pass: the real one over each transport
 * (contract-suite.test.ts) and the UI's in-memory test engines (their *-test-engine.test.ts),
 * so those cannot drift from the real engine. Only vitest and the contract are imported here.
 */
export { tools, type ContractCase, type ContractClient } from './contract-case.js';
export { classCases } from './classes.js';
export { jobCases } from './jobs.js';
export { lectureCases } from './lectures.js';
export { libraryCases } from './library.js';
export { settingsCases } from './settings.js';
export { tutorCases } from './tutor.js';
