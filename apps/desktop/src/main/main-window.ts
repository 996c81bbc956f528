import { BrowserWindow, screen, type WebContents } from 'electron';
import { MIN_SIZE, placeWindow } from './window-state.js';
import { loadWindowState, saveWindowState } from './window-state-store.js';
import { confirmLeavingRecording } from './dialogs.js';

export interface MainWindowOptions {
  preloadPath: string;
  rendererFile: string;
  /** JSON file in userData with the last position, size and maximized state. */
  stateFile: string;
  isPackaged: boolean;
  /** Called each time the renderer (re)loads, to bring it up to date (the engine's status). */
  onLoaded: (contents: WebContents) => void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const placement = placeWindow(loadWindowState(options.stateFile), workAreas);
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Little Monster',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !options.isPackaged,
      // On Linux Chromium would download spell-check dictionaries from Google; the app stays offline.
      spellcheck: process.platform !== 'linux',
    },
  });

  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    saveWindowState(options.stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.webContents.on('did-finish-load', () => options.onLoaded(window.webContents));
  // Without this, a page's beforeunload (the recorder's) would silently keep the window open.
  window.webContents.on('will-prevent-unload', (event) => {
    if (confirmLeavingRecording(window)) event.preventDefault();
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    console.error('The window’s renderer stopped', details);
  });

  window.loadFile(options.rendererFile).catch((error: unknown) => {
    console.error('Could not load the window', error);
  });
  return window;
}
