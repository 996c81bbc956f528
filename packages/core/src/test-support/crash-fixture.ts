/**
 * Runs an engine with three jobs in flight and tells the parent their ids; the parent then kills
 * this process with SIGKILL, as a crash or a pulled plug would.
 */
import { openTestCore } from './temp-core.js';
import { testJobHandlers } from './test-job-handlers.js';

const dataDir = process.argv[2]!;
const gate = { open: false, attempts: new Map<string, number>(), running: 0, maxRunning: 0 };
const core = await openTestCore(dataDir, { jobHandlers: testJobHandlers(gate) });
await core.value('settings.update', { jobConcurrency: 3 });
const resumable = core.enqueueJob('test.resumable', {});
const crashy = core.enqueueJob('test.crashy', {});
const fragile = core.enqueueJob('test.fragile', {});
while (gate.running < 3) await new Promise((resolve) => setTimeout(resolve, 5));
process.send?.({ resumable: resumable.id, crashy: crashy.id, fragile: fragile.id });
setInterval(() => {}, 1000);
