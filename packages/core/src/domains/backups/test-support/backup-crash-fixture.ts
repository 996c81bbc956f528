/**
 * An engine that backs up or restores and is stopped with SIGKILL part-way, as a crash or a
 * pulled plug would: `backup` and `stage` tell the parent when their job has moved forward (the
 * parent kills), `swap` kills itself after the given number of moves of the restore.
 * Arguments: mode, data folder, backup target or archive, moves (swap only).
 */
import { openTestCore } from '../../../test-support/temp-core.js';

const [mode, dataDir, path, moves] = process.argv.slice(2) as [string, string, string, string | undefined];
const killAfter = Number(moves ?? 0);
const core = await openTestCore(dataDir, {
  afterRestoreMove: (done, total) => {
    if (done === killAfter || done === total) process.kill(process.pid, 'SIGKILL');
  },
});
core.subscribe((event) => {
  if (event.name === 'job.progress' && (event.payload.progress ?? 0) > 0)
    process.send?.({ progress: event.payload.progress });
  // Finished before the parent could kill it (a fast machine): end, so the test fails saying so.
  // (A swap happens after its job: that mode kills itself.)
  const finished = ['succeeded', 'failed', 'cancelled'];
  if (mode !== 'swap' && event.name === 'job.updated' && finished.includes(event.payload.job.status))
    process.exit(0);
});
const started =
  mode === 'backup'
    ? await core.value<{ jobId: string }>('backups.create', { target: path })
    : await core.value<{ jobId: string }>('backups.restore', { path });
process.send?.({ started: started.jobId });
setInterval(() => {}, 1000);
