import type { BrowserWindow, WebContents } from 'electron';
import { isRendererUrl } from './renderer-url.js';

/** The windows this app opened: the only ones whose calls are answered and that hear engine events. */
export class AppWindows {
  private readonly windows = new Set<BrowserWindow>();

  constructor(private readonly rendererUrl: string) {}

  add(window: BrowserWindow): BrowserWindow {
    this.windows.add(window);
    window.on('closed', () => this.windows.delete(window));
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
