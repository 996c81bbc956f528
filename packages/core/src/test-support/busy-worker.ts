import { serveWorkerTask } from '../workers/worker-task.js';

/** Keeps a thread fully busy, as OCR or transcription would. */
serveWorkerTask<number, number>((milliseconds) => {
  const end = Date.now() + milliseconds;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
});
