import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, type Backup, type Job } from '../contract/index.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';
import { testJobHandlers, type Gate } from '../test-support/test-job-handlers.js';
import type { RegisteredJob } from './job-handler.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore | undefined;
let gate: Gate;

beforeEach(() => {
  dir = tempDir();
  gate = { open: false, attempts: new Map(), maxRunning: 0, running: 0 };
});
afterEach(async () => {
  await core?.close();
  core = undefined;
  dir.remove();
});

async function start(handlers: RegisteredJob[] = testJobHandlers(gate)) {
  core = await openTestCore(join(dir.path, 'data'), {
    jobHandlers: handlers,
    jobQueue: { backoffMs: () => 20, progressIntervalMs: 0 },
  });
  return core;
}

const job = (id: string) => core!.value<Job>('jobs.get', { id });
const settled = (id: string) =>
  waitFor(
    () => job(id),
    (j) => !['queued', 'running'].includes(j.status),
  );
const enqueue = async (kind: string, payload: unknown): Promise<Job> => core!.enqueueJob(kind, payload);

describe('job queue', () => {
  it('runs a job to success, reporting progress in order and storing the result', async () => {
    await start();
    const queued = await enqueue('test.steps', { steps: 4 });
    expect(queued.status).toBe('queued');
    const done = await settled(queued.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, attempts: 1, result: { counted: 4 } });
    const progress = core!.events
      .filter((e) => e.name === 'job.progress')
      .map((e) => (e.name === 'job.progress' ? e.payload.progress : null));
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    const states = core!.events
      .filter((e) => e.name === 'job.updated')
      .map((e) => (e.name === 'job.updated' ? e.payload.job.status : ''));
    expect(states).toEqual(['queued', 'running', 'succeeded']);
  });

  it('cancels a queued job and a running one; a finished job cannot be cancelled', async () => {
    await start();
    await core!.value('settings.update', { jobConcurrency: 1 });
    const running = await enqueue('test.gated', {});
    const waiting = await enqueue('test.gated', {});
    await waitFor(
      () => job(running.id),
      (j) => j.status === 'running',
    );
    expect((await core!.value<Job>('jobs.cancel', { id: waiting.id })).status).toBe('cancelled');
    await core!.value('jobs.cancel', { id: running.id });
    expect((await settled(running.id)).status).toBe('cancelled');
    expect(gate.attempts.get(waiting.id)).toBeUndefined(); // never started
    const again = await core!.dispatch('jobs.cancel', { id: running.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('retries a failing job with back-off until it succeeds', async () => {
    await start();
    const flaky = await enqueue('test.flaky', { failures: 2 });
    const done = await settled(flaky.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
  });

  it('fails after the last attempt with the reason, and a manual retry starts it afresh', async () => {
    await start();
    const flaky = await enqueue('test.flaky', { failures: 3 });
    const failed = await settled(flaky.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: 'flaky failure 3' });
    const retried = await core!.value<Job>('jobs.retry', { id: flaky.id });
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, error: null });
    expect(await settled(flaky.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('does not retry an error another attempt cannot fix', async () => {
    await start();
    const doomed = await enqueue('test.permanent', {});
    expect(await settled(doomed.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'That file is not a PDF.',
    });
    expect((await core!.dispatch('jobs.retry', { id: crypto.randomUUID() })).ok).toBe(false);
  });

  it('rejects an unknown kind or a payload that does not fit, storing nothing', async () => {
    await start();
    await expect(enqueue('test.nope', {})).rejects.toThrow(AppError);
    await expect(enqueue('test.steps', { steps: 'many' })).rejects.toThrow(/Invalid payload/);
    expect(await core!.value<Job[]>('jobs.list')).toEqual([]);
  });

  it('never runs more jobs at once than the concurrency setting allows', async () => {
    await start();
    await core!.value('settings.update', { jobConcurrency: 2 });
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => enqueue('test.gated', {}).then((j) => j.id)));
    await waitFor(
      () => gate.running,
      (n) => n === 2,
    );
    const statuses = await Promise.all(ids.map(async (id) => (await job(id)).status));
    expect(statuses.filter((s) => s === 'running')).toHaveLength(2);
    gate.open = true;
    for (const id of ids) expect((await settled(id)).status).toBe('succeeded');
    expect(gate.maxRunning).toBe(2);
  });

  it('keeps answering calls while a job does CPU-heavy work in a worker thread', async () => {
    await start();
    const heavy = await enqueue('test.cpu', { milliseconds: 2500 });
    await waitFor(
      () => job(heavy.id),
      (j) => j.status === 'running',
    );
    // Answered while the job is still busy: had the work blocked this thread, the answer would
    // only have come after the job finished.
    await core!.value('classes.list');
    expect((await job(heavy.id)).status).toBe('running');
    expect(await settled(heavy.id)).toMatchObject({ status: 'succeeded' });
  });

  it('backs up the database in a worker thread into a valid copy', async () => {
    await start();
    await core!.value('classes.create', { name: 'Physics' });
    const { jobId } = await core!.value<{ jobId: string }>('backups.create');
    expect(await settled(jobId)).toMatchObject({ status: 'succeeded', progress: 1 });
    const [backup] = await core!.value<Backup[]>('backups.list');
    expect(backup?.fileName).toMatch(/^little-monster-.*\.sqlite$/);
    const copy = new Database(join(core!.dataDir, 'backups', backup!.fileName), { readonly: true });
    expect(copy.prepare('SELECT name FROM classes').pluck().all()).toEqual(['Physics']);
    copy.close();
  });
});

describe('job queue after a crash', () => {
  it('resumes only jobs whose work cannot crash the engine, and fails the others saying why, when it was killed mid-job', async () => {
    const dataDir = join(dir.path, 'data');
    const child = fork(
      fileURLToPath(new URL('../test-support/crash-fixture.ts', import.meta.url)),
      [dataDir],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const ids = await new Promise<{ resumable: string; crashy: string; fragile: string }>(
      (resolve, reject) => {
        child.once('message', (message) =>
          resolve(message as { resumable: string; crashy: string; fragile: string }),
        );
        child.once('exit', (code) => reject(new Error(`crash fixture exited early with ${code}`)));
      },
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    gate.open = true;
    await start(testJobHandlers(gate));
    expect(await settled(ids.resumable)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const crashed = {
      status: 'failed',
      error:
        'Little Monster stopped unexpectedly while this was running, so it was not started again in case it was the cause. Start it again to try once more.',
    };
    expect(await job(ids.crashy)).toMatchObject(crashed);
    expect(await job(ids.fragile)).toMatchObject(crashed);
  });
});
