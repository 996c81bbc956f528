import type { WebContents } from 'electron';
import { isAllowedExternalUrl } from './external-links.js';
import { isRendererUrl } from './renderer-url.js';

/**
 * For every web contents the app creates: no navigation away from our renderer, no new
 * windows, no <webview>. A link to an allowed site opens in the student's browser instead.
 */
export function guardWebContents(
  contents: WebContents,
  rendererUrl: string,
  openExternal: (url: string) => void,
): void {
  const mayLoad = (url: string, isMainFrame: boolean) =>
    url.startsWith('devtools://') || (isMainFrame && isRendererUrl(url, rendererUrl));

  contents.on('will-frame-navigate', (event) => {
    if (event.isSameDocument || mayLoad(event.url, event.isMainFrame)) return;
    event.preventDefault();
    if (isAllowedExternalUrl(event.url)) openExternal(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!mayLoad(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}
