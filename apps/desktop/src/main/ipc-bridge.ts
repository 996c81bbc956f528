import { BrowserWindow, dialog, ipcMain, type FileFilter, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '@little-monster/core/contract';
import { RPC_CHANNEL, SAVE_BACKUP_CHANNEL, SAVE_DECK_EXPORT_CHANNEL } from '../shared/ipc-channels.js';
import { connectionOf, type AppWindows } from './app-windows.js';
import { isRendererUrl } from './renderer-url.js';
import { checkRpcRequest } from './rpc-request.js';

export interface IpcBridgeOptions {
  windows: AppWindows;
  rendererUrl: string;
  engine: { call(method: string, input: unknown, connection?: string): Promise<Result<unknown>> };
}

const UNAUTHORIZED: Result<never> = {
  ok: false,
  error: { code: 'UNAUTHORIZED', message: 'Only Little Monster’s own window may call the engine.' },
};

/**
 * The one invoke channel. A call is relayed only when it comes from the main frame of one of
 * our windows showing our renderer file, names a procedure of the contract and is not too
 * large; the engine validates the input itself. Answers are Results: nothing is thrown back.
 */
export function registerIpcBridge({ windows, rendererUrl, engine }: IpcBridgeOptions): () => void {
  ipcMain.handle(RPC_CHANNEL, async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event, windows, rendererUrl)) return UNAUTHORIZED;
    const problem = checkRpcRequest(method, input);
    if (problem) return { ok: false, error: problem };
    return engine.call(method as string, input, connectionOf(event.sender));
  });
  // Save dialogs, over the window that asked; only our windows may ask.
  const saveDialog = (channel: string, title: string, fallbackName: string, filter: FileFilter) =>
    ipcMain.handle(channel, async (event, suggestedName: unknown): Promise<string | null> => {
      const window = BrowserWindow.fromWebContents(event.sender);
      if (!window || !isTrustedSender(event, windows, rendererUrl)) return null;
      const { canceled, filePath } = await dialog.showSaveDialog(window, {
        title,
        defaultPath: typeof suggestedName === 'string' ? suggestedName : fallbackName,
        filters: [filter],
      });
      return canceled || !filePath ? null : filePath;
    });
  saveDialog(SAVE_BACKUP_CHANNEL, 'Back up Little Monster', 'little-monster.lmbackup', {
    name: 'Little Monster backup',
    extensions: ['lmbackup'],
  });
  saveDialog(SAVE_DECK_EXPORT_CHANNEL, 'Export deck', 'deck.apkg', {
    name: 'Anki deck',
    extensions: ['apkg'],
  });
  return () => {
    ipcMain.removeHandler(RPC_CHANNEL);
    ipcMain.removeHandler(SAVE_BACKUP_CHANNEL);
    ipcMain.removeHandler(SAVE_DECK_EXPORT_CHANNEL);
  };
}

function isTrustedSender(event: IpcMainInvokeEvent, windows: AppWindows, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  // null: the frame navigated away or was destroyed before we looked.
  if (frame === null || frame.parent !== null) return false;
  return windows.owns(event.sender) && isRendererUrl(frame.url, rendererUrl);
}
