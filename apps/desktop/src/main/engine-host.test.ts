import type { EngineEvent, Result, RpcError } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import type { EngineInit, HostMessage } from '../shared/engine-protocol.js';
import type { EngineStatus } from '../shared/ipc-channels.js';
import { EngineHost, type EngineProcess } from './engine-host.js';
import { RestartPolicy } from './restart-policy.js';

/**
 * Stands in for the utilityProcess: records what the host posts (through structured clone, as
 * the real channel does) and lets the test play the engine's side of the protocol.
 */
class ScriptedProcess implements EngineProcess {
  readonly posted: HostMessage[] = [];
  killed = false;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly exitListeners: ((code: number | null) => void)[] = [];

  postMessage(message: HostMessage): void {
    this.posted.push(structuredClone(message));
  }
  kill(): void {
    this.killed = true;
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  send(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }
  exit(code: number | null): void {
    for (const listener of this.exitListeners) listener(code);
  }
  calls() {
    return this.posted.filter((message) => message.type === 'call');
  }
  /** Answers every call received so far with `{ ok: true, value: method }`. */
  answerAll(): void {
    for (const call of this.calls())
      this.send({ type: 'result', id: call.id, result: { ok: true, value: call.method } });
  }
}

function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    schedule(run: () => void, delayMs: number) {
      const timer = { at: now + delayMs, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
  };
}

const init: EngineInit = {
  dataDir: '/data',
  logsDir: '/data/logs',
  modelsDir: '/models',
  resourcesDir: '/resources',
  modelCatalogFile: '/resources/models/catalog.json',
  migrationsDir: '/migrations',
  appVersion: '0.1.0',
  hostVersions: {},
  logLevel: 'info',
};

function setUp(options: { maxCrashes?: number } = {}) {
  const processes: ScriptedProcess[] = [];
  const statuses: EngineStatus[] = [];
  const events: EngineEvent[] = [];
  const startupFailures: RpcError[] = [];
  let gaveUp = 0;
  const clock = manualClock();
  const host = new EngineHost({
    fork: () => {
      const child = new ScriptedProcess();
      processes.push(child);
      return child;
    },
    init,
    onStatus: (status) => statuses.push(status),
    onEvent: (event) => events.push(event),
    onStartupFailed: (error) => startupFailures.push(error),
    onGaveUp: () => gaveUp++,
    restartPolicy: new RestartPolicy({
      maxCrashes: options.maxCrashes ?? 3,
      windowMs: 60_000,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
    }),
    shutdownTimeoutMs: 5_000,
    now: clock.now,
    schedule: clock.schedule,
  });
  const current = () => processes.at(-1)!;
  return { host, processes, current, statuses, events, startupFailures, gaveUp: () => gaveUp, clock };
}

/** The call's answer if it has one once everything already under way has run, else 'still pending'. */
const settledValue = async (promise: Promise<Result<unknown>>) => {
  const marker = Symbol('pending');
  return Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(marker)))]).then(
    (value) => (value === marker ? 'still pending' : value),
  );
};

describe('EngineHost', () => {
  it('starts the engine with its configuration and answers calls once it is ready', async () => {
    const { host, current } = setUp();
    host.start();
    expect(current().posted[0]).toEqual({ type: 'init', init });

    const early = host.call('classes.list', { includeArchived: false });
    expect(current().calls()).toEqual([]);
    current().send({ type: 'ready' });
    expect(current().calls()).toEqual([
      { type: 'call', id: 1, method: 'classes.list', input: { includeArchived: false } },
    ]);

    current().answerAll();
    await expect(early).resolves.toEqual({ ok: true, value: 'classes.list' });
  });

  it('forwards engine events', () => {
    const { host, current, events } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const event = { name: 'classes.changed', payload: { ids: [] } };
    current().send({ type: 'event', event });
    expect(events).toEqual([event]);
  });

  it('fails calls in flight when the engine dies, tells the windows, and restarts it', async () => {
    const { host, processes, current, statuses, clock } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const inFlight = host.call('backups.create', {});

    current().exit(null);
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(statuses).toEqual(['reconnecting']);

    // While it restarts, new calls wait rather than fail.
    const waiting = host.call('classes.list', {});
    clock.advance(100);
    expect(processes).toHaveLength(2);
    // The interrupted call is not replayed on the new engine (it may have half-run).
    current().send({ type: 'ready' });
    expect(
      current()
        .calls()
        .map((call) => call.method),
    ).toEqual(['classes.list']);
    expect(statuses).toEqual(['reconnecting', 'connected']);

    current().answerAll();
    await expect(waiting).resolves.toEqual({ ok: true, value: 'classes.list' });
  });

  it('ignores a late message from an engine that already died', async () => {
    const { host, current, clock } = setUp();
    host.start();
    const old = current();
    old.send({ type: 'ready' });
    const call = host.call('classes.list', {});
    old.exit(1);
    await expect(call).resolves.toMatchObject({ ok: false });
    clock.advance(100);
    old.send({ type: 'result', id: 1, result: { ok: true, value: 'stale' } });
    old.send({ type: 'ready' });
    const next = host.call('classes.list', {});
    expect(await settledValue(next)).toBe('still pending');
  });

  it('gives up after repeated quick crashes, then starts again when asked', async () => {
    const { host, processes, current, statuses, clock, gaveUp } = setUp({ maxCrashes: 3 });
    host.start();
    const waiting = host.call('classes.list', {});
    current().exit(1);
    clock.advance(100);
    current().exit(1);
    clock.advance(200);
    current().exit(1);
    expect(gaveUp()).toBe(1);
    expect(processes).toHaveLength(3);
    await expect(waiting).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
    await expect(host.call('classes.list', {})).resolves.toMatchObject({
      error: { code: 'ENGINE_UNAVAILABLE' },
    });
    clock.advance(60_000);
    expect(processes).toHaveLength(3);

    host.retry();
    expect(processes).toHaveLength(4);
    current().send({ type: 'ready' });
    expect(statuses).toEqual(['reconnecting', 'connected']);
  });

  it('reports an engine that refuses to start and does not start it again', async () => {
    const { host, processes, current, startupFailures, clock } = setUp();
    host.start();
    const waiting = host.call('classes.list', {});
    const error = {
      code: 'CONFLICT',
      message: 'Little Monster is already running with this data folder.',
    } as const;
    current().send({ type: 'startup-failed', error });
    current().exit(1);

    expect(startupFailures).toEqual([error]);
    expect(current().killed).toBe(true);
    await expect(waiting).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
    clock.advance(60_000);
    expect(processes).toHaveLength(1);
  });

  it('asks the engine where a material’s original is stored, like a call', async () => {
    const { host, current } = setUp();
    host.start();
    const id = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';
    // Asked before the engine is ready: it waits.
    const early = host.materialFile(id);
    expect(current().posted.filter((message) => message.type === 'material-file')).toEqual([]);
    current().send({ type: 'ready' });
    const request = current().posted.find((message) => message.type === 'material-file');
    expect(request).toEqual({ type: 'material-file', id: 1, materialId: id });

    const file = { path: '/data/files/ab/abcd', mimeType: 'application/pdf', name: 'Week 1.pdf' };
    current().send({ type: 'result', id: 1, result: { ok: true, value: file } });
    await expect(early).resolves.toEqual({ ok: true, value: file });

    const unknown = host.materialFile(id);
    const error = { code: 'NOT_FOUND', message: 'That material no longer exists.' };
    current().send({ type: 'result', id: 2, result: { ok: false, error } });
    await expect(unknown).resolves.toEqual({ ok: false, error });
  });

  it('asks the engine where a lecture’s recording is stored, the same way', async () => {
    const { host, current } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const lectureId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const lookup = host.recordingFile(lectureId);
    expect(current().posted.find((message) => message.type === 'recording-file')).toEqual({
      type: 'recording-file',
      id: 1,
      lectureId,
    });
    const file = {
      path: '/data/recordings/x.webm',
      mimeType: 'audio/webm;codecs=opus',
      name: 'Lecture 1.webm',
    };
    current().send({ type: 'result', id: 1, result: { ok: true, value: file } });
    await expect(lookup).resolves.toEqual({ ok: true, value: file });

    const gone = host.recordingFile(lectureId);
    const error = { code: 'NOT_FOUND', message: 'That lecture no longer exists. It may have been deleted.' };
    current().send({ type: 'result', id: 2, result: { ok: false, error } });
    await expect(gone).resolves.toEqual({ ok: false, error });
  });

  it('does not trust a file lookup answer that is not a file', async () => {
    const { host, current } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const lookup = host.materialFile('3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f');
    current().send({ type: 'result', id: 1, result: { ok: true, value: { path: 42 } } });
    await expect(lookup).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('fails a file lookup in flight when the engine dies', async () => {
    const { host, current } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const lookup = host.materialFile('3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f');
    current().exit(null);
    await expect(lookup).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
  });

  it('answers INVALID_INPUT for an input the channel cannot copy', async () => {
    const { host, current } = setUp();
    host.start();
    current().send({ type: 'ready' });
    await expect(host.call('classes.create', { name: () => 'x' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('asks the engine to close on stop and waits until it has', async () => {
    const { host, current } = setUp();
    host.start();
    current().send({ type: 'ready' });
    let stopped = false;
    const stopping = host.stop().then(() => (stopped = true));
    expect(current().posted.at(-1)).toEqual({ type: 'shutdown' });
    await Promise.resolve();
    expect(stopped).toBe(false);
    current().send({ type: 'closed' });
    current().exit(0);
    await stopping;
    await expect(host.call('classes.list', {})).resolves.toMatchObject({
      error: { code: 'ENGINE_UNAVAILABLE' },
    });
  });

  it('kills an engine that does not close in time, and never restarts it', async () => {
    const { host, processes, current, clock } = setUp();
    host.start();
    current().send({ type: 'ready' });
    const stopping = host.stop();
    clock.advance(5_000);
    expect(current().killed).toBe(true);
    current().exit(null);
    await stopping;
    clock.advance(60_000);
    expect(processes).toHaveLength(1);
  });
});
