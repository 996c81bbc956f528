import { afterEach, describe, expect, it } from 'vitest';
import { workerScript } from './worker-task.js';
import { WarmWorkers } from './warm-workers.js';

const script = workerScript(new URL('./test-support/x.ts', import.meta.url).href, 'warm-test-worker');
let workers: WarmWorkers;
const signal = new AbortController().signal;
type Ran = { threadId: number };

afterEach(() => workers.releaseIdle());

describe('WarmWorkers', () => {
  it('runs tasks one after another on the same thread, with progress', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const progress: [number | null, string | null | undefined][] = [];
    const first = await workers.run<Ran>(
      {},
      {
        signal,
        onProgress: (fraction, message) => progress.push([fraction, message]),
      },
    );
    const second = await workers.run<Ran>({}, { signal });
    expect(second.threadId).toBe(first.threadId);
    expect(progress).toEqual([[0.5, 'Halfway']]);
  });

  it('passes a failure on and keeps the thread for the next task', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const first = await workers.run<Ran>({}, { signal });
    await expect(workers.run({ fail: 'That went wrong' }, { signal })).rejects.toThrow('That went wrong');
    expect((await workers.run<Ran>({}, { signal })).threadId).toBe(first.threadId);
  });

  it('ends the thread of a cancelled task; the next task gets a new one', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const first = await workers.run<Ran>({}, { signal });
    const controller = new AbortController();
    const hanging = workers.run(
      { hang: true },
      {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(hanging).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await workers.run<Ran>({}, { signal })).threadId).not.toBe(first.threadId);
  });

  it('replaces a thread after its quota of tasks', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1, maxTasks: 2 });
    const first = await workers.run<Ran>({}, { signal });
    expect((await workers.run<Ran>({}, { signal })).threadId).toBe(first.threadId);
    expect((await workers.run<Ran>({}, { signal })).threadId).not.toBe(first.threadId);
  });

  it('gives tasks that run at the same time a thread each', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const [a, b] = await Promise.all([workers.run<Ran>({}, { signal }), workers.run<Ran>({}, { signal })]);
    expect(a.threadId).not.toBe(b.threadId);
  });

  it("hands a task's batches over in order, one at a time, and ends the task once all are taken", async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const seen: string[] = [];
    const result = await workers.run<Ran>(
      { batches: 4 },
      {
        signal,
        onBatch: async (batch) => {
          seen.push(`take ${String(batch)}`);
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(`taken ${String(batch)}`);
        },
      },
    );
    seen.push('done');
    expect(seen).toEqual([...[1, 2, 3, 4].flatMap((batch) => [`take ${batch}`, `taken ${batch}`]), 'done']);
    expect(result.threadId).toBeGreaterThan(0);
  });

  it('fails a task whose batch is refused, and ends its thread', async () => {
    workers = new WarmWorkers(script, { idleMs: 60_000, maxIdle: 1 });
    const first = await workers.run<Ran>({}, { signal });
    const refused = workers.run(
      { batches: 3, hang: true },
      {
        signal,
        onBatch: async (batch) => {
          if (batch === 2) throw new Error('That material no longer exists.');
        },
      },
    );
    await expect(refused).rejects.toThrow('That material no longer exists.');
    expect((await workers.run<Ran>({}, { signal })).threadId).not.toBe(first.threadId);
  });
});
