import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { AppError, type ErrorCode, type EventSink, type Job, type JobStatus } from '../contract/index.js';
import type { AppDatabase } from '../db/open-database.js';
import { jobs } from '../db/schema/index.js';
import type { RegisteredJob } from './job-handler.js';

type JobRow = typeof jobs.$inferSelect;

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
  lastProgressAt: number;
}

export interface JobQueueOptions {
  concurrency: number;
  /** Delay before retry number `attempt` (1 = first retry). */
  backoffMs?: (attempt: number) => number;
  /** Minimum time between two progress writes of one job. */
  progressIntervalMs?: number;
}

/** Errors that another attempt cannot fix. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'MODEL_NOT_INSTALLED',
  'UNAUTHORIZED',
]);

const defaultBackoff = (attempt: number) => Math.min(60_000, 2_000 * 2 ** (attempt - 1));
const nowIso = () => new Date().toISOString();

/**
 * A persistent queue in SQLite: jobs survive restarts, run at most `concurrency` at a time,
 * report progress as events, retry with back-off and can be cancelled at any point.
 */
export class JobQueue {
  private readonly handlers = new Map<string, RegisteredJob>();
  private readonly running = new Map<string, RunningJob>();
  private concurrency: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly progressIntervalMs: number;
  private wakeTimer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;

  constructor(
    private readonly db: AppDatabase,
    private readonly bus: EventSink,
    private readonly logger: Logger,
    options: JobQueueOptions,
  ) {
    this.concurrency = options.concurrency;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.progressIntervalMs = options.progressIntervalMs ?? 200;
  }

  register(handler: RegisteredJob): void {
    if (this.handlers.has(handler.kind)) throw new Error(`Job kind ${handler.kind} is registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  /** Settles jobs the last run left behind, then starts working. */
  start(): void {
    this.recoverInterrupted();
    this.started = true;
    this.pump();
  }

  enqueue(kind: string, payload: unknown): Job {
    const handler = this.handlers.get(kind);
    if (!handler) throw new AppError('INVALID_INPUT', `Unknown job kind "${kind}".`);
    const parsed = handler.payload.safeParse(payload);
    if (!parsed.success)
      throw new AppError('INVALID_INPUT', `Invalid payload for a ${kind} job.`, parsed.error.issues);
    const now = nowIso();
    const row = this.db
      .insert(jobs)
      .values({
        id: randomUUID(),
        kind,
        title: handler.title(parsed.data),
        status: 'queued',
        payload: parsed.data as object,
        maxAttempts: handler.maxAttempts ?? 3,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    this.announce(row);
    this.pump();
    return toJob(row);
  }

  get(id: string): Job {
    return toJob(this.row(id));
  }

  list(options: { status?: JobStatus[] | undefined; limit: number }): Job[] {
    const where = options.status?.length ? inArray(jobs.status, options.status) : undefined;
    return this.db
      .select()
      .from(jobs)
      .where(where)
      .orderBy(desc(jobs.createdAt))
      .limit(options.limit)
      .all()
      .map(toJob);
  }

  cancel(id: string): Job {
    const row = this.row(id);
    const running = this.running.get(id);
    if (running) {
      running.controller.abort('cancel');
      return toJob(row);
    }
    if (row.status !== 'queued')
      throw new AppError('CONFLICT', `This job has already ${describeEnd(row.status)}.`);
    const cancelled = this.finish(id, { status: 'cancelled' });
    this.abandoned(row);
    return cancelled;
  }

  retry(id: string): Job {
    const row = this.row(id);
    if (row.status !== 'failed' && row.status !== 'cancelled') {
      throw new AppError('CONFLICT', 'Only a failed or cancelled job can be retried.');
    }
    const updated = this.update(id, {
      status: 'queued',
      attempts: 0,
      runAfter: 0,
      error: null,
      progress: null,
      message: null,
      startedAt: null,
      finishedAt: null,
    });
    this.pump();
    return toJob(updated);
  }

  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency;
    this.pump();
  }

  /** Stops taking work and interrupts running jobs; they resume or fail at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.wakeTimer);
    for (const job of this.running.values()) job.controller.abort('shutdown');
    await Promise.all([...this.running.values()].map((job) => job.done));
  }

  /**
   * Jobs still marked running: the engine stopped under them without closing (a clean close puts
   * them back in the queue). Only kinds whose work cannot bring the engine down run again.
   */
  private recoverInterrupted(): void {
    const interrupted = this.db.select().from(jobs).where(eq(jobs.status, 'running')).all();
    for (const row of interrupted) {
      const handler = this.handlers.get(row.kind);
      if (
        handler?.onInterrupted === 'resume' &&
        handler.afterCrash === 'resume' &&
        row.attempts < row.maxAttempts
      ) {
        this.update(row.id, { status: 'queued', runAfter: 0, message: 'Resuming after the app stopped' });
        this.logger.info({ job: row.id, kind: row.kind }, 'resuming interrupted job');
      } else {
        this.finish(row.id, {
          status: 'failed',
          error:
            'Little Monster stopped unexpectedly while this was running, so it was not started again in case it was the cause. Start it again to try once more.',
        });
        this.abandoned(row);
        this.logger.warn({ job: row.id, kind: row.kind }, 'failed a job the engine stopped under');
      }
    }
  }

  /** Lets the job's kind undo what enqueuing it set up, when `run` will not do it. */
  private abandoned(row: JobRow): void {
    const handler = this.handlers.get(row.kind);
    if (!handler?.onAbandoned) return;
    const parsed = handler.payload.safeParse(row.payload);
    if (!parsed.success) return;
    Promise.resolve()
      .then(() => handler.onAbandoned!(parsed.data))
      .catch((error: unknown) =>
        this.logger.error({ err: error, job: row.id }, 'cleaning up an abandoned job failed'),
      );
  }

  private pump(): void {
    if (!this.started || this.stopping) return;
    while (this.running.size < this.concurrency) {
      const next = this.nextReady();
      if (!next) break;
      this.begin(next);
    }
    this.scheduleWake();
  }

  private nextReady(): JobRow | undefined {
    return (
      this.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.status, 'queued'), lte(jobs.runAfter, Date.now())))
        // rowid breaks ties between jobs queued in the same millisecond: first in, first out.
        .orderBy(asc(jobs.createdAt), asc(sql`rowid`))
        .limit(1)
        .get()
    );
  }

  /** Wakes the queue when the earliest back-off ends. */
  private scheduleWake(): void {
    clearTimeout(this.wakeTimer);
    const waiting = this.db
      .select({ runAfter: jobs.runAfter })
      .from(jobs)
      .where(eq(jobs.status, 'queued'))
      .orderBy(asc(jobs.runAfter))
      .limit(1)
      .get();
    if (!waiting || this.running.size >= this.concurrency) return;
    this.wakeTimer = setTimeout(() => this.pump(), Math.max(0, waiting.runAfter - Date.now()));
    this.wakeTimer.unref();
  }

  private begin(row: JobRow): void {
    const handler = this.handlers.get(row.kind);
    if (!handler) {
      this.finish(row.id, {
        status: 'failed',
        error: `This version of the app cannot run "${row.kind}" jobs.`,
      });
      return;
    }
    const attempt = row.attempts + 1;
    const started = this.update(row.id, {
      status: 'running',
      attempts: attempt,
      startedAt: row.startedAt ?? nowIso(),
      error: null,
    });
    const controller = new AbortController();
    const entry: RunningJob = { controller, done: Promise.resolve(), lastProgressAt: 0 };
    // Running before it is announced: a listener may cancel it the moment it hears.
    this.running.set(row.id, entry);
    this.announce(started);
    entry.done = this.execute(handler, started, attempt, controller.signal).finally(() => {
      this.running.delete(row.id);
      this.pump();
    });
  }

  private async execute(
    handler: RegisteredJob,
    row: JobRow,
    attempt: number,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      // Cancelled as it was announced: it never starts.
      signal.throwIfAborted();
      const payload = handler.payload.parse(row.payload);
      const result = await handler.run(payload, {
        jobId: row.id,
        attempt,
        signal,
        progress: (progress, message = null) => this.reportProgress(row, progress, message),
      });
      if (signal.aborted) throw signal.reason;
      this.finish(row.id, { status: 'succeeded', progress: 1, result: result ?? null, message: null });
    } catch (error) {
      this.settleFailure(handler, row, attempt, signal, error);
    }
  }

  private settleFailure(
    handler: RegisteredJob,
    row: JobRow,
    attempt: number,
    signal: AbortSignal,
    error: unknown,
  ) {
    if (signal.aborted && signal.reason === 'shutdown') {
      // Left as it was at the start of this attempt; the next start resumes or fails it.
      if (handler.onInterrupted === 'resume')
        this.update(row.id, { status: 'queued', attempts: attempt - 1 });
      else this.finish(row.id, { status: 'failed', error: 'Stopped because the app was closing.' });
      return;
    }
    if (signal.aborted) {
      this.finish(row.id, { status: 'cancelled', message: null });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof AppError && PERMANENT.has(error.code);
    this.logger.warn({ job: row.id, kind: row.kind, attempt, err: error }, 'job attempt failed');
    if (permanent || attempt >= row.maxAttempts) {
      this.finish(row.id, { status: 'failed', error: message });
      return;
    }
    const retried = this.update(row.id, {
      status: 'queued',
      error: message,
      message: `Attempt ${attempt} failed; retrying`,
      runAfter: Date.now() + this.backoffMs(attempt),
    });
    this.announce(retried);
  }

  private reportProgress(row: JobRow, progress: number | null, message: string | null): void {
    const running = this.running.get(row.id);
    if (!running || running.controller.signal.aborted) return;
    const now = Date.now();
    if (now - running.lastProgressAt < this.progressIntervalMs && progress !== 1) return;
    running.lastProgressAt = now;
    const clamped = progress === null ? null : Math.min(1, Math.max(0, progress));
    this.update(row.id, { progress: clamped, message });
    this.bus.emit('job.progress', { id: row.id, kind: row.kind, progress: clamped, message });
  }

  private finish(id: string, changes: Partial<JobRow>): Job {
    const row = this.update(id, { ...changes, finishedAt: nowIso(), runAfter: 0 });
    this.announce(row);
    return toJob(row);
  }

  private update(id: string, changes: Partial<JobRow>): JobRow {
    const row = this.db
      .update(jobs)
      .set({ ...changes, updatedAt: nowIso() })
      .where(eq(jobs.id, id))
      .returning()
      .get();
    if (!row) throw new AppError('NOT_FOUND', 'That job no longer exists.');
    return row;
  }

  private row(id: string): JobRow {
    const row = this.db.select().from(jobs).where(eq(jobs.id, id)).get();
    if (!row) throw new AppError('NOT_FOUND', 'That job no longer exists.');
    return row;
  }

  private announce(row: JobRow): void {
    this.bus.emit('job.updated', { job: toJob(row) });
  }
}

const describeEnd = (status: JobStatus) =>
  status === 'succeeded' ? 'finished' : status === 'running' ? 'started' : status;

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progress: row.progress,
    message: row.message,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    error: row.error,
    result: row.result ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
