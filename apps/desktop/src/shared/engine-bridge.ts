import type { EngineEvent, Result } from '@little-monster/core/contract';
import type { EngineStatus } from './ipc-channels.js';

/**
 * What the preload exposes as `window.littleMonster`. It has the shape of the UI's
 * `EngineBridge`; the renderer entry hands one to the other, so the compiler checks they agree.
 */
export interface DesktopEngineBridge {
  /**
   * Every answer of the engine is a Result; a call IPC cannot carry answers INVALID_INPUT, and
   * one that never reached the engine (a closing window) rejects, which the UI's transport
   * answers with its "engine unreachable" Result.
   */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /** Where a file the student chose or dropped is on disk ('' when it is not a file on disk). */
  pathForFile(file: File): string;
}
