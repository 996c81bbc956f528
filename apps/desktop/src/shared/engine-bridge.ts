import type { EngineEvent, Result } from '@little-monster/core/contract';
import type { EngineStatus } from './ipc-channels.js';

/**
 * What the preload exposes as `window.littleMonster`. It has the shape of the UI's
 * `EngineBridge`; the renderer entry hands one to the other, so the compiler checks they agree.
 */
export interface DesktopEngineBridge {
  /** Answers a Result; rejects only when IPC itself fails (a closing window): the page's transport says so. */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /** Where a file the student chose or dropped is on disk ('' when it is not a file on disk). */
  pathForFile(file: File): string;
  /** The system's save dialog for a backup file: the chosen path, or null when cancelled. */
  chooseBackupFile(suggestedName: string): Promise<string | null>;
  /** The system's save dialog for an exported deck (.apkg): the chosen path, or null when cancelled. */
  chooseDeckExportFile(suggestedName: string): Promise<string | null>;
}
