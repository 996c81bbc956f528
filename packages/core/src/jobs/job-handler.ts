import type { z } from 'zod';
import type { ProgressReporter } from '../workers/worker-task.js';

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry... */
  attempt: number;
  /** Aborted when the student cancels or the engine shuts down. */
  signal: AbortSignal;
  progress: ProgressReporter;
}

/** A kind of background work. Later features register theirs (import, OCR, transcription...). */
export interface JobHandler<P = unknown> {
  kind: string;
  payload: z.ZodType<P>;
  title(payload: P): string;
  /** Runs before giving up, counting the first; default 3. */
  maxAttempts?: number;
  /** A job that was running when the app closed: run it again at the next start, or fail it with a reason. */
  onInterrupted: 'resume' | 'fail';
  /**
   * A job still running when the engine stopped unexpectedly (a crash, a kill, a power cut) may
   * be what stopped it, so by default it is failed with that reason instead of being run into the
   * same crash again at every start. 'resume' for work that cannot bring the engine down (network
   * transfers, copies) and can go on where it was.
   */
  afterCrash?: 'resume' | 'fail';
  run(payload: P, context: JobContext): Promise<unknown>;
  /**
   * The job ended without `run` getting the chance to clean up: cancelled while queued, or
   * failed at start-up after being interrupted. Undo what enqueuing it set up.
   */
  onAbandoned?(payload: P): Promise<void> | void;
}

/** A handler with its payload type erased, as the queue stores it. */
export interface RegisteredJob {
  kind: string;
  payload: z.ZodType;
  title(payload: unknown): string;
  maxAttempts?: number;
  onInterrupted: 'resume' | 'fail';
  afterCrash?: 'resume' | 'fail';
  run(payload: unknown, context: JobContext): Promise<unknown>;
  onAbandoned?(payload: unknown): Promise<void> | void;
}

/**
 * Erases the payload type for registration. Sound because the queue only ever calls `title`
 * and `run` with what `payload` parsed.
 */
export const defineJob = <P>(handler: JobHandler<P>): RegisteredJob => handler as unknown as RegisteredJob;
