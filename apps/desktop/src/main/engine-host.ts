import type { EngineEvent, Result, RpcError } from '@little-monster/core/contract';
import {
  isEngineMessage,
  isStoredFile,
  type EngineInit,
  type HostMessage,
  type HostRequest,
  type StoredFile,
} from '../shared/engine-protocol.js';
import type { EngineStatus } from '../shared/ipc-channels.js';
import { PendingCalls } from './pending-calls.js';
import { RestartPolicy } from './restart-policy.js';

/** The engine's process as the host sees it; in the app an Electron utilityProcess. */
export interface EngineProcess {
  postMessage(message: HostMessage): void;
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
}

export interface EngineHostOptions {
  fork: () => EngineProcess;
  init: EngineInit;
  /** Windows hear 'reconnecting' when the engine died and 'connected' when it is back. */
  onStatus: (status: EngineStatus) => void;
  onEvent: (event: EngineEvent) => void;
  /** The engine refused to start (data folder locked, database corrupt or newer): no restart. */
  onStartupFailed: (error: RpcError) => void;
  /** The engine kept crashing; it stays down until `retry()`. */
  onGaveUp: () => void;
  log?: (message: string, details?: Record<string, unknown>) => void;
  restartPolicy?: RestartPolicy;
  /** How long a clean shutdown may take before the process is killed. */
  shutdownTimeoutMs?: number;
  now?: () => number;
  schedule?: (run: () => void, delayMs: number) => () => void;
}

type State =
  | 'idle'
  | 'starting'
  | 'running'
  | 'waiting-to-restart'
  | 'startup-failed'
  | 'gave-up'
  | 'stopping'
  | 'stopped';

const RESTARTING = 'The study engine is restarting. Try again in a moment.';
const GAVE_UP = 'The study engine stopped and could not be restarted. Quit Little Monster and open it again.';
const CLOSING = 'Little Monster is closing.';
const NOT_STARTED = 'The study engine could not start.';

const unavailable = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'ENGINE_UNAVAILABLE', message },
});

const defaultSchedule = (run: () => void, delayMs: number) => {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
};

/**
 * Runs the engine in its own process and relays calls to it. Calls made while it starts (or
 * restarts) wait and are sent once it is ready; calls already sent to a process that died fail
 * with ENGINE_UNAVAILABLE (they may have half-run, so they are never replayed). A crashed
 * engine is restarted with backoff; one that refuses to start is not.
 */
export class EngineHost {
  private state: State = 'idle';
  private child: EngineProcess | null = null;
  private readonly pending = new PendingCalls();
  /** Calls sent to the current process and not answered yet. */
  private readonly sent = new Set<number>();
  /** Calls (and file lookups) waiting for the process to be ready. */
  private queued: HostRequest[] = [];
  private status: EngineStatus = 'connected';
  private cancelRestart: (() => void) | null = null;
  private stopped: Promise<void> | null = null;
  private onChildGone: (() => void) | null = null;
  private readonly restartPolicy: RestartPolicy;
  private readonly schedule: NonNullable<EngineHostOptions['schedule']>;
  private readonly now: () => number;
  private readonly log: NonNullable<EngineHostOptions['log']>;

  constructor(private readonly options: EngineHostOptions) {
    this.restartPolicy = options.restartPolicy ?? new RestartPolicy();
    this.schedule = options.schedule ?? defaultSchedule;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  get currentStatus(): EngineStatus {
    return this.status;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.spawn();
  }

  /** After giving up: the student asked to try again. */
  retry(): void {
    if (this.state !== 'gave-up') return;
    this.restartPolicy.reset();
    this.spawn();
  }

  /** `connection` names the window that called (see `Caller` in the core). */
  call(method: string, input: unknown, connection?: string): Promise<Result<unknown>> {
    return this.request((id) => ({ type: 'call', id, method, input, ...(connection ? { connection } : {}) }));
  }

  /** A window's page ended; an engine that is not running has nothing of it to watch. */
  disconnected(connection: string): void {
    if (this.state === 'running') this.child?.postMessage({ type: 'disconnected', connection });
  }

  /**
   * Where a material's original is stored, for the window's `lm-file:` protocol. Waits, fails
   * and is never replayed exactly like a call.
   */
  materialFile(materialId: string): Promise<Result<StoredFile>> {
    return this.fileLookup((id) => ({ type: 'material-file', id, materialId }), { materialId });
  }

  /** Where a lecture's recording is stored, for the window's `lm-file:` protocol; like materialFile. */
  recordingFile(lectureId: string): Promise<Result<StoredFile>> {
    return this.fileLookup((id) => ({ type: 'recording-file', id, lectureId }), { lectureId });
  }

  private async fileLookup(
    frameWithId: (id: number) => HostRequest,
    details: Record<string, string>,
  ): Promise<Result<StoredFile>> {
    const result = await this.request(frameWithId);
    if (!result.ok || isStoredFile(result.value)) return result as Result<StoredFile>;
    this.log('the engine answered a file lookup with something else', details);
    return { ok: false, error: { code: 'INTERNAL', message: 'The engine sent an answer main cannot read.' } };
  }

  private request(frameWithId: (id: number) => HostRequest): Promise<Result<unknown>> {
    switch (this.state) {
      case 'gave-up':
        return Promise.resolve(unavailable(GAVE_UP));
      case 'startup-failed':
        return Promise.resolve(unavailable(NOT_STARTED));
      case 'stopping':
      case 'stopped':
        return Promise.resolve(unavailable(CLOSING));
      default: {
        const { id, result } = this.pending.add();
        const frame = frameWithId(id);
        if (this.state === 'running') this.send(frame);
        else this.queued.push(frame);
        return result;
      }
    }
  }

  /** Asks the engine to close cleanly (finishing writes, releasing the data folder), then kills it if it does not. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.cancelRestart?.();
    this.cancelRestart = null;
    this.failQueued(CLOSING);
    const child = this.child;
    const wasUp = this.state === 'starting' || this.state === 'running';
    this.state = 'stopping';
    if (child && wasUp) {
      const timeoutMs = this.options.shutdownTimeoutMs ?? 5_000;
      await new Promise<void>((resolve) => {
        let cancelKill = () => {};
        this.onChildGone = () => {
          cancelKill();
          resolve();
        };
        cancelKill = this.schedule(() => {
          this.log('the engine did not close in time; killing it', { timeoutMs });
          child.kill();
          // An exit event that never comes must not keep the app from quitting.
          this.schedule(resolve, 1_000);
        }, timeoutMs);
        child.postMessage({ type: 'shutdown' });
      });
    }
    this.failSent(CLOSING);
    this.child = null;
    this.state = 'stopped';
  }

  private spawn(): void {
    this.cancelRestart = null;
    this.state = 'starting';
    const child = this.options.fork();
    this.child = child;
    child.onMessage((message) => {
      if (this.child === child) this.receive(message);
    });
    child.onExit((code) => {
      if (this.child === child) this.exited(code);
    });
    child.postMessage({ type: 'init', init: this.options.init });
  }

  private receive(message: unknown): void {
    if (!isEngineMessage(message)) {
      this.log('ignored a malformed message from the engine');
      return;
    }
    switch (message.type) {
      case 'ready':
        return this.ready();
      case 'startup-failed':
        return this.startupFailed(message.error);
      case 'result':
        this.sent.delete(message.id);
        this.pending.settle(message.id, message.result);
        return;
      case 'event':
        this.options.onEvent(message.event);
        return;
      case 'closed':
        return;
    }
  }

  private ready(): void {
    if (this.state !== 'starting') return;
    this.state = 'running';
    const queued = this.queued;
    this.queued = [];
    for (const frame of queued) this.send(frame);
    this.setStatus('connected');
  }

  private startupFailed(error: RpcError): void {
    if (this.state !== 'starting') return;
    this.log('the engine refused to start', { code: error.code, message: error.message });
    this.state = 'startup-failed';
    this.child?.kill();
    this.child = null;
    this.failQueued(NOT_STARTED);
    this.failSent(NOT_STARTED);
    this.options.onStartupFailed(error);
  }

  private exited(code: number | null): void {
    this.child = null;
    if (this.state === 'stopping') {
      this.onChildGone?.();
      return;
    }
    if (this.state !== 'starting' && this.state !== 'running') return;
    this.log('the engine stopped unexpectedly', { code });
    this.failSent(RESTARTING);
    this.setStatus('reconnecting');
    const decision = this.restartPolicy.onCrash(this.now());
    if (decision.action === 'give-up') {
      this.state = 'gave-up';
      this.failQueued(GAVE_UP);
      this.options.onGaveUp();
      return;
    }
    this.state = 'waiting-to-restart';
    this.cancelRestart = this.schedule(() => this.spawn(), decision.delayMs);
  }

  private send(frame: HostRequest): void {
    try {
      this.child?.postMessage(frame);
      this.sent.add(frame.id);
    } catch {
      // The input could not be cloned for the engine (a function, a DOM object...).
      this.pending.settle(frame.id, {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: 'This request contains data that cannot be sent to the engine.',
        },
      });
    }
  }

  private failQueued(message: string): void {
    const queued = this.queued;
    this.queued = [];
    for (const frame of queued) this.pending.settle(frame.id, unavailable(message));
  }

  private failSent(message: string): void {
    const sent = [...this.sent];
    this.sent.clear();
    for (const id of sent) this.pending.settle(id, unavailable(message));
  }

  private setStatus(status: EngineStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
