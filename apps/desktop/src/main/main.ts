import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { EVENT_CHANNEL, STATUS_CHANNEL } from '../shared/ipc-channels.js';
import { AppWindows } from './app-windows.js';
import { bundlePaths } from './bundle-paths.js';
import { askToRetryAfterCrashes, showStartupFailure } from './dialogs.js';
import { engineInitFor } from './engine-config.js';
import { EngineHost } from './engine-host.js';
import { registerIpcBridge } from './ipc-bridge.js';
import { createMainWindow } from './main-window.js';
import { registerMaterialFileScheme, serveMaterialFiles } from './material-file-protocol.js';
import { buildMenuTemplate } from './menu-template.js';
import { hardenSession } from './session-hardening.js';
import { forkUtilityEngine } from './utility-engine-process.js';
import { guardWebContents } from './web-contents-guard.js';

const PRODUCT_NAME = 'Little Monster';

process.setSourceMapsEnabled(true);

// Spelled out so it is the same folder in development, packaged, and in the browser mode (`npm run web`).
app.setPath('userData', join(app.getPath('appData'), PRODUCT_NAME));
// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox();
// lm-file://material/<id> and lm-file://recording/<id>: the window's way to stored originals and
// recordings (registered before ready).
registerMaterialFileScheme();

if (!app.requestSingleInstanceLock()) {
  // Another copy runs: it gets 'second-instance' and comes to the front.
  app.quit();
} else {
  app.whenReady().then(startApp, (error: unknown) => {
    console.error('Little Monster could not start', error);
    app.exit(1);
  });
}

function startApp(): void {
  const rendererUrl = pathToFileURL(bundlePaths.rendererHtml).href;
  // A page that ended may have been recording: the engine closes that recording if it hears nothing more.
  const windows = new AppWindows(rendererUrl, (connection) => engine.disconnected(connection));
  const init = engineInitFor({
    isPackaged: app.isPackaged,
    userDataDir: app.getPath('userData'),
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    appVersion: app.getVersion(),
    hostVersions: {
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
    },
  });

  hardenSession(session.defaultSession, rendererUrl);
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, rendererUrl, (url) => void shell.openExternal(url)),
  );
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        appName: PRODUCT_NAME,
        platform: process.platform,
        isPackaged: app.isPackaged,
        openLogsFolder: () => void shell.openPath(init.logsDir),
      }),
    ),
  );

  const engine: EngineHost = new EngineHost({
    fork: () => forkUtilityEngine(bundlePaths.engine),
    init,
    onStatus: (status) => windows.broadcast(STATUS_CHANNEL, status),
    onEvent: (event) => windows.broadcast(EVENT_CHANNEL, event),
    onStartupFailed: (error) => void showStartupFailure(error, init.logsDir).finally(() => app.quit()),
    onGaveUp: () =>
      void askToRetryAfterCrashes(init.logsDir).then((again) => (again ? engine.retry() : app.quit())),
    log: (message, details) => console.warn(`[engine host] ${message}`, details ?? ''),
  });
  registerIpcBridge({ windows, rendererUrl, engine });
  serveMaterialFiles(session.defaultSession, {
    material: (materialId) => engine.materialFile(materialId),
    recording: (lectureId) => engine.recordingFile(lectureId),
  });
  engine.start();

  const openWindow = () =>
    windows.add(
      createMainWindow({
        preloadPath: bundlePaths.preload,
        rendererFile: bundlePaths.rendererHtml,
        stateFile: join(app.getPath('userData'), 'window-state.json'),
        isPackaged: app.isPackaged,
        onLoaded: (contents) => contents.send(STATUS_CHANNEL, engine.currentStatus),
      }),
    );
  openWindow();

  app.on('second-instance', () => {
    if (!windows.focus()) openWindow();
  });
  // macOS: clicking the dock icon with no window open.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('child-process-gone', (_event, details) => {
    if (details.type === 'Utility') console.warn('[engine host] utility process gone', details);
  });

  // Quit only once the engine has closed the database and released the data folder.
  let engineStopped = false;
  app.on('before-quit', (event) => {
    if (engineStopped) return;
    event.preventDefault();
    void engine.stop().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });
}
