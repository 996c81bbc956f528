import { workerScript } from '../../../workers/worker-task.js';
import { WarmWorkers } from '../../../workers/warm-workers.js';
import type { PrepareSpeechOptions, SpeechScript } from './speech-script.js';

/** A thread unused this long ends (the maths engine it loaded goes with it). */
const IDLE_MS = 5 * 60_000;

/**
 * Runs `prepareSpeech` off the engine's thread: parsing a long note, and the maths engine's
 * first load (about a second), must not hold up other calls. The thread stays warm between
 * readings, so only the first one pays for starting it; `warm()` pays that in advance.
 */
export class SpeechPreparer {
  private readonly workers = new WarmWorkers(workerScript(import.meta.url, 'speech-text-worker'), {
    idleMs: IDLE_MS,
    maxIdle: 1,
  });

  prepare(
    text: string,
    options: PrepareSpeechOptions,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<SpeechScript> {
    return this.workers.run<SpeechScript>({ text, options }, { signal });
  }

  /** Starts the thread and loads the parsers now, so the next reading starts at once. */
  async warm(): Promise<void> {
    await this.prepare('Ready.', { format: 'markdown', language: 'en' });
  }

  close(): Promise<void> {
    return this.workers.close();
  }
}
