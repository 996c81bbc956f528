/**
 * Runs in the sandboxed renderer before the page. It exposes exactly the engine bridge
 * (call / onEvent / onStatus) over the fixed channels; never ipcRenderer, never an
 * IpcRendererEvent (whose `sender` would hand the page ipcRenderer back).
 * Sandboxed preloads may only require 'electron': build.mjs bundles this to one CommonJS file
 * for the browser platform, so any Node import fails the build.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EngineEvent, Result } from '@little-monster/core/contract';
import type { DesktopEngineBridge } from '../shared/engine-bridge.js';
import {
  EVENT_CHANNEL,
  RPC_CHANNEL,
  SAVE_BACKUP_CHANNEL,
  SAVE_DECK_EXPORT_CHANNEL,
  STATUS_CHANNEL,
  type EngineStatus,
} from '../shared/ipc-channels.js';

/** One IPC listener per channel, shared by any number of page listeners; one failing does not stop the rest. */
function fanOut<T>(channel: string, isValid: (value: unknown) => value is T) {
  const listeners = new Set<(value: T) => void>();
  const notify = (listener: (value: T) => void, value: T) => {
    try {
      listener(value);
    } catch (error) {
      console.error(`A ${channel} listener failed`, error);
    }
  };
  ipcRenderer.on(channel, (_event, value: unknown) => {
    if (!isValid(value)) return;
    for (const listener of [...listeners]) notify(listener, value);
  });
  return {
    add(listener: (value: T) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify,
  };
}

const isEngineEvent = (value: unknown): value is EngineEvent =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
const isStatus = (value: unknown): value is EngineStatus => value === 'connected' || value === 'reconnecting';

const events = fanOut(EVENT_CHANNEL, isEngineEvent);
const statuses = fanOut(STATUS_CHANNEL, isStatus);
/** Main sends the status after each load, so a page that subscribes late still learns it. */
let lastStatus: EngineStatus | undefined;
ipcRenderer.on(STATUS_CHANNEL, (_event, value: unknown) => {
  if (isStatus(value)) lastStatus = value;
});

/** A save dialog main shows: the chosen path, or null (cancelled, or the dialog could not open). */
async function chooseFile(channel: string, suggestedName: string): Promise<string | null> {
  const chosen: unknown = await ipcRenderer.invoke(channel, suggestedName).catch(() => null);
  return typeof chosen === 'string' ? chosen : null;
}

const bridge: DesktopEngineBridge = {
  async call(method: string, input: unknown): Promise<Result<unknown>> {
    try {
      return (await ipcRenderer.invoke(RPC_CHANNEL, method, input)) as Result<unknown>;
    } catch (error) {
      // Two things end up here: an input IPC cannot copy (a function, a DOM node), or a closing
      // window. The page's transport answers the second as ENGINE_UNAVAILABLE, in its own words.
      if (!(error instanceof Error && /clone/i.test(error.message))) throw error;
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'This request contains data that cannot be sent.' },
      };
    }
  },
  onEvent: (listener) => events.add(listener),
  // The library imports chosen and dropped files by path, so nothing large crosses IPC.
  pathForFile: (file) => webUtils.getPathForFile(file),
  chooseBackupFile: (suggestedName) => chooseFile(SAVE_BACKUP_CHANNEL, suggestedName),
  chooseDeckExportFile: (suggestedName) => chooseFile(SAVE_DECK_EXPORT_CHANNEL, suggestedName),
  onStatus(listener) {
    if (lastStatus !== undefined) statuses.notify(listener, lastStatus);
    return statuses.add(listener);
  },
};

contextBridge.exposeInMainWorld('littleMonster', bridge);
