import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { AppError } from '../contract/index.js';
import { defineJob, type RegisteredJob } from '../jobs/job-handler.js';
import { runWorkerTask, workerScript } from '../workers/worker-task.js';

/** Shared state the test job kinds use to be held, counted and released by a test. */
export interface Gate {
  open: boolean;
  attempts: Map<string, number>;
  running: number;
  maxRunning: number;
}

async function waitForGate(gate: Gate, jobId: string, signal: AbortSignal): Promise<void> {
  gate.attempts.set(jobId, (gate.attempts.get(jobId) ?? 0) + 1);
  gate.running += 1;
  gate.maxRunning = Math.max(gate.maxRunning, gate.running);
  try {
    while (!gate.open) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      await sleep(5);
    }
  } finally {
    gate.running -= 1;
  }
}

const gated = (gate: Gate, kind: string, onInterrupted: 'resume' | 'fail', afterCrash?: 'resume') =>
  defineJob({
    kind,
    payload: z.object({}),
    title: () => kind,
    onInterrupted,
    ...(afterCrash ? { afterCrash } : {}),
    run: (_payload, { jobId, signal }) => waitForGate(gate, jobId, signal),
  });

/** Job kinds that exercise the queue's mechanics; the real kinds come with their features. */
export function testJobHandlers(gate: Gate): RegisteredJob[] {
  return [
    defineJob({
      kind: 'test.steps',
      payload: z.object({ steps: z.number().int().min(1) }),
      title: ({ steps }) => `Count to ${steps}`,
      onInterrupted: 'resume',
      run: async ({ steps }, { progress }) => {
        for (let step = 1; step <= steps; step++) {
          await sleep(1);
          progress(step / steps, `step ${step}`);
        }
        return { counted: steps };
      },
    }),
    defineJob({
      kind: 'test.flaky',
      payload: z.object({ failures: z.number().int() }),
      title: () => 'Flaky',
      onInterrupted: 'resume',
      // Counts every run of the job, across manual retries too.
      run: async ({ failures }, { jobId }) => {
        const runs = (gate.attempts.get(jobId) ?? 0) + 1;
        gate.attempts.set(jobId, runs);
        if (runs <= failures) throw new Error(`flaky failure ${runs}`);
        return null;
      },
    }),
    defineJob({
      kind: 'test.permanent',
      payload: z.object({}),
      title: () => 'Permanent',
      onInterrupted: 'fail',
      run: () => Promise.reject(new AppError('INVALID_INPUT', 'That file is not a PDF.')),
    }),
    defineJob({
      kind: 'test.cpu',
      payload: z.object({ milliseconds: z.number() }),
      title: () => 'Busy',
      onInterrupted: 'fail',
      run: ({ milliseconds }, { signal }) =>
        runWorkerTask(workerScript(import.meta.url, 'busy-worker'), milliseconds, { signal }),
    }),
    gated(gate, 'test.gated', 'fail'),
    gated(gate, 'test.resumable', 'resume', 'resume'),
    // Resumed after the app closes, but not after a crash: it may be what crashed.
    gated(gate, 'test.crashy', 'resume'),
    gated(gate, 'test.fragile', 'fail'),
  ];
}
