import type { Logger } from 'pino';
import { AppError, err } from './contract/index.js';
import type { Core } from './core.js';
import { EventBus } from './kit/event-bus.js';

export interface EngineLifecycle {
  /** The one event bus, kept across reopenings so listeners never need to subscribe again. */
  bus: EventBus;
  /**
   * Closes the data folder and opens it again in this process (a staged restore is applied in
   * between). Transports, their connections and the browser's session stay as they are.
   */
  reopen(): void;
}

const reopeningMessage = 'Your data is being replaced by a backup. This takes a moment; try again then.';

/**
 * The engine as transports hold it: one object for the life of the process, in front of the
 * engine opened on the data folder. Calls made while it reopens wait for it; if the data cannot be
 * opened again they answer ENGINE_UNAVAILABLE with the reason.
 */
export async function reopenableCore(
  open: (lifecycle: EngineLifecycle) => Promise<Core>,
  logger: Logger,
): Promise<Core> {
  let closed = false;
  let reopening: Promise<void> | null = null;
  let unavailable = reopeningMessage;
  const lifecycle: EngineLifecycle = {
    bus: new EventBus(),
    reopen() {
      if (closed || reopening) return;
      reopening = (async () => {
        const previous = current;
        current = null;
        unavailable = reopeningMessage;
        await previous?.close();
        try {
          current = await open(lifecycle);
        } catch (error) {
          logger.error({ err: error }, 'the data folder could not be opened again');
          unavailable =
            error instanceof AppError
              ? error.message
              : `The data could not be opened again (${(error as Error).message}). Restart Little Monster.`;
        }
      })().finally(() => {
        reopening = null;
      });
    },
  };
  let current: Core | null = await open(lifecycle);

  const opened = (): Core => {
    if (!current) throw new AppError('ENGINE_UNAVAILABLE', unavailable);
    return current;
  };
  return {
    dispatch: async (method, input, caller) => {
      // A call made while the data folder reopens is answered once it is open again.
      if (reopening) await reopening;
      return current ? current.dispatch(method, input, caller) : err('ENGINE_UNAVAILABLE', unavailable);
    },
    subscribe: (listener) => lifecycle.bus.subscribe(listener),
    enqueueJob: (kind, payload) => opened().enqueueJob(kind, payload),
    disconnected: (connection) => current?.disconnected(connection),
    files: {
      get uploadsDir() {
        return opened().files.uploadsDir;
      },
      materialFile: (id) => opened().files.materialFile(id),
      recordingFile: (id) => opened().files.recordingFile(id),
      deckPackage: async (id) => {
        if (reopening) await reopening;
        return opened().files.deckPackage(id);
      },
    },
    async close() {
      closed = true;
      await reopening;
      await current?.close();
      current = null;
    },
  };
}
