/**
 * Starts an import of a scanned page (slow: it needs OCR) and tells the parent once it is
 * running; the parent then kills this process with SIGKILL, as a crash or a pulled plug would.
 */
import { join } from 'node:path';
import type { ImportOutcome, Job } from '../contract/index.js';
import { openTestCore, waitFor } from './temp-core.js';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const core = await openTestCore(dataDir);
const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', {
  sources: [{ kind: 'path', path: file }],
});
const jobId = items[0]!.jobId!;
await waitFor(
  () => core.value<Job>('jobs.get', { id: jobId }),
  (job) => job.status === 'running',
);
process.send?.({ jobId, materialId: items[0]!.materialId, dataDir: join(dataDir) });
setInterval(() => {}, 1000);
