import type { BrowserWindow, WebContents } from 'electron';
import { isRendererUrl } from './renderer-url.js';

/** How the engine names a window's page in its calls (see `Caller` in the core). */
export const connectionOf = (contents: Pick<WebContents, 'id'>) => `window-${contents.id}`;

/** The windows this app opened: the only ones whose calls are answered and that hear engine events. */
export class AppWindows {
  private readonly windows = new Set<BrowserWindow>();

  /** `onPageGone`: a window's page ended (closed, crashed or navigated away), with its connection name. */
  constructor(
    private readonly rendererUrl: string,
    private readonly onPageGone: (connection: string) => void = () => {},
  ) {}

  add(window: BrowserWindow): BrowserWindow {
    this.windows.add(window);
    const connection = connectionOf(window.webContents);
    window.on('closed', () => {
      this.windows.delete(window);
      this.onPageGone(connection);
    });
    window.webContents.on('render-process-gone', () => this.onPageGone(connection));
    window.webContents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) this.onPageGone(connection);
    });
    return window;
  }

  owns(contents: WebContents): boolean {
    return [...this.windows].some((window) => !window.isDestroyed() && window.webContents.id === contents.id);
  }

  /** Brings the first window to the front; false when there is none. */
  focus(): boolean {
    const window = [...this.windows].find((candidate) => !candidate.isDestroyed());
    if (!window) return false;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return true;
  }

  /** Sends to every window still showing our renderer (never to a page it was somehow navigated to). */
  broadcast(channel: string, payload: unknown): void {
    for (const window of this.windows) {
      const contents = window.webContents;
      if (window.isDestroyed() || contents.isDestroyed()) continue;
      if (isRendererUrl(contents.mainFrame.url, this.rendererUrl)) contents.send(channel, payload);
    }
  }
}
