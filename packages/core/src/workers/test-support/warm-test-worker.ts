import { threadId } from 'node:worker_threads';
import { serveWarmTasks } from '../warm-workers.js';

/**
 * For warm-workers.test.ts: says which thread ran it; can fail, wait until cancelled, or hand
 * over `batches` numbered batches first.
 */
serveWarmTasks<{ fail?: string; hang?: boolean; batches?: number }, { threadId: number }>(
  async (input, progress, emit) => {
    progress(0.5, 'Halfway');
    for (let batch = 1; batch <= (input.batches ?? 0); batch++) await emit(batch);
    if (input.fail) throw new Error(input.fail);
    if (input.hang) await new Promise(() => setInterval(() => undefined, 1000));
    return { threadId };
  },
);
