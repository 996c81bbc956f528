import { threadId } from 'node:worker_threads';
import { serveWarmTasks } from '../warm-workers.js';

/** For warm-workers.test.ts: says which thread ran it; can fail, or wait until cancelled. */
serveWarmTasks<{ fail?: string; hang?: boolean }, { threadId: number }>(async (input, progress) => {
  progress(0.5, 'Halfway');
  if (input.fail) throw new Error(input.fail);
  if (input.hang) await new Promise(() => setInterval(() => undefined, 1000));
  return { threadId };
});
