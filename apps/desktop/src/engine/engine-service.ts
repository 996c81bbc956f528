import type { Core, CoreConfig, Logger, SecretStore } from '@little-monster/core';
import { ERROR_CODES, type Result, type RpcError } from '@little-monster/core/contract';
import {
  isHostMessage,
  type EngineInit,
  type EngineMessage,
  type HostMessage,
  type StoredFile,
} from '../shared/engine-protocol.js';

/** The engine's end of the channel to main; in the app `process.parentPort` of a utilityProcess. */
export interface EnginePort {
  postMessage(message: EngineMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** What the engine is built from; the real ones from @little-monster/core in the app. */
export interface EngineDependencies {
  createCore(config: CoreConfig): Promise<Core>;
  createLogger(options: { logsDir: string; level?: string }): Logger;
  createSecretStore(): SecretStore;
  /** Ends the process once the core is closed. */
  exit(code: number): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** An AppError keeps its code and message (they are written for the student). */
function appErrorOf(error: unknown): RpcError | null {
  if (isRecord(error) && typeof error.message === 'string' && ERROR_CODES.includes(error.code as never)) {
    return { code: error.code as RpcError['code'], message: error.message };
  }
  return null;
}

/** Why createCore failed, for the student: an AppError as it is, anything else as INTERNAL. */
export function toStartupError(error: unknown): RpcError {
  const reason = error instanceof Error ? error.message : String(error);
  return appErrorOf(error) ?? { code: 'INTERNAL', message: `The study engine could not start: ${reason}` };
}

/**
 * Serves the contract over a message port: `init` creates the core, `call` frames are answered
 * with `result` frames, core events go out as `event` frames, and `shutdown` closes the core
 * (finishing writes, releasing the data folder) before the process ends.
 */
export function serveEngine(port: EnginePort, deps: EngineDependencies): void {
  let starting: Promise<Core | null> | null = null;
  let core: Core | null = null;
  let logger: Logger | null = null;
  let stopping = false;

  const post = (message: EngineMessage) => {
    try {
      port.postMessage(message);
    } catch (error) {
      // A value structured clone cannot copy; the caller still gets an answer.
      logger?.error({ err: error }, 'could not send a message to main');
      if (message.type === 'result') {
        port.postMessage({ type: 'result', id: message.id, result: notSendable });
      }
    }
  };

  async function start(init: EngineInit): Promise<Core | null> {
    try {
      logger = deps.createLogger({ logsDir: init.logsDir, level: init.logLevel });
      const created = await deps.createCore({
        dataDir: init.dataDir,
        modelsDir: init.modelsDir,
        resourcesDir: init.resourcesDir,
        migrationsDir: init.migrationsDir,
        modelCatalogFile: init.modelCatalogFile,
        appVersion: init.appVersion,
        hostVersions: init.hostVersions,
        secrets: deps.createSecretStore(),
        logger,
      });
      created.subscribe((event) => post({ type: 'event', event }));
      core = created;
      post({ type: 'ready' });
      return created;
    } catch (error) {
      logger?.error({ err: error }, 'engine start failed');
      post({ type: 'startup-failed', error: toStartupError(error) });
      return null;
    }
  }

  async function answer(id: number, method: string, input: unknown, connection?: string): Promise<void> {
    const result: Result<unknown> = core
      ? await core.dispatch(method, input, { connection: connection ?? null }).catch((error: unknown) => {
          logger?.error({ err: error, method }, 'dispatch threw');
          return internal;
        })
      : notReady;
    post({ type: 'result', id, result });
  }

  /**
   * Where a stored file is: a material's original or a lecture's recording, the same lookups as
   * the browser mode's GET /files/<id> and /recordings/<id>. An unknown id is the core's
   * NOT_FOUND, with its message.
   */
  function answerFileLookup(id: number, find: (core: Core) => StoredFile): void {
    let result: Result<StoredFile> = notReady;
    if (core) {
      try {
        const { path, mimeType, name } = find(core);
        result = { ok: true, value: { path, mimeType, name } };
      } catch (error) {
        const known = appErrorOf(error);
        if (!known) logger?.error({ err: error }, 'file lookup failed');
        result = known ? { ok: false, error: known } : internal;
      }
    }
    post({ type: 'result', id, result });
  }

  async function shutDown(): Promise<void> {
    if (stopping) return;
    stopping = true;
    try {
      await (await starting)?.close();
    } catch (error) {
      logger?.error({ err: error }, 'engine close failed');
    }
    post({ type: 'closed' });
    if (logger) logger.flush(() => deps.exit(0));
    else deps.exit(0);
  }

  port.onMessage((message) => {
    if (!isHostMessage(message)) return;
    handle(message);
  });

  function handle(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        starting ??= start(message.init);
        return;
      case 'call':
        void answer(message.id, message.method, message.input, message.connection);
        return;
      case 'disconnected':
        core?.disconnected(message.connection);
        return;
      case 'material-file':
        answerFileLookup(message.id, (ready) => ready.files.materialFile(message.materialId));
        return;
      case 'recording-file':
        answerFileLookup(message.id, (ready) => ready.files.recordingFile(message.lectureId));
        return;
      case 'shutdown':
        void shutDown();
        return;
    }
  }
}

const notReady: Result<never> = {
  ok: false,
  error: {
    code: 'ENGINE_UNAVAILABLE',
    message: 'The study engine is still starting. Try again in a moment.',
  },
};
const internal: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Something went wrong inside the engine. The details are in the log.' },
};
const notSendable: Result<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'The engine produced an answer that could not be sent. The details are in the log.',
  },
};
