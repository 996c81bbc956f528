import type { EngineEvent } from '@little-monster/core/contract';
import { UploadError } from './http-files';
import { Listeners } from './listeners';
import { isResult, unreachable } from './results';
import type { ConnectionReason, ConnectionState, EngineBridge, FileAccess, Transport } from './types';

/**
 * Stored originals, served to the window by the desktop's main process (apps/desktop
 * src/main/material-files.ts parses the same URLs).
 */
const materialFileUrl = (materialId: string) => `lm-file://material/${encodeURIComponent(materialId)}`;
/** A lecture's recorded audio, served by main the same way (with Range, for seeking). */
const recordingFileUrl = (lectureId: string) => `lm-file://recording/${encodeURIComponent(lectureId)}`;

/**
 * The desktop reads originals through `lm-file:`; files go the other way by path (localFiles),
 * never as bytes over IPC, so there is nothing to upload to.
 */
const desktopFiles: FileAccess = {
  urlOf: materialFileUrl,
  recordingUrl: recordingFileUrl,
  upload: () =>
    Promise.reject(
      new UploadError('This window cannot send files to the engine. Import them by their path instead.'),
    ),
};

/** Electron: calls and events through the preload's `window.littleMonster` bridge; originals via `lm-file:`. */
export function createBridgeTransport(bridge: EngineBridge): Transport {
  let current: ConnectionState = 'connected';
  const events = new Listeners<[EngineEvent]>();
  const states = new Listeners<[ConnectionState, ConnectionReason | undefined]>();

  bridge.onEvent((event) => events.emit(event));
  bridge.onStatus((status) => {
    if (status === current) return;
    current = status;
    states.emit(status, status === 'reconnecting' ? 'connection lost' : undefined);
  });

  return {
    async call(method, input) {
      try {
        const result: unknown = await bridge.call(method, input);
        return isResult(result) ? result : unreachable('The engine sent an answer this window cannot read.');
      } catch {
        return unreachable();
      }
    },
    subscribe: (listener) => events.add(listener),
    state: () => current,
    onStateChange: (listener) => states.add(listener),
    files: desktopFiles,
    ...(bridge.pathForFile
      ? {
          localFiles: {
            pathOf: (file: File) => bridge.pathForFile!(file),
            ...(bridge.chooseBackupFile
              ? { chooseBackupFile: (name: string) => bridge.chooseBackupFile!(name) }
              : {}),
            ...(bridge.chooseDeckExportFile
              ? { chooseDeckExportFile: (name: string) => bridge.chooseDeckExportFile!(name) }
              : {}),
          },
        }
      : {}),
  };
}
