import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';
import { isPermissionGranted, permissionCheckQuery } from './permission-policy.js';

/**
 * The renderer's session: permissions denied but the microphone for our own page, no device
 * pickers, no network at all (the engine does any downloading), and the CSP on every response.
 */
export function hardenSession(session: Session, rendererUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(
      isPermissionGranted({ permission, requestingUrl: details.requestingUrl, mediaTypes }, rendererUrl),
    );
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionGranted(permissionCheckQuery(permission, details, contents?.mainFrame.url), rendererUrl),
  );
  // USB, serial and HID devices.
  session.setDevicePermissionHandler(() => false);

  // The page is offline by design; this also stops a link or an injected tag from reaching out.
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
  // The <meta> tag in index.html is what a file page gets; this covers anything served with headers.
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    }),
  );
}
