import { isRendererUrl } from './renderer-url.js';

export interface PermissionQuery {
  /** Electron's permission name ('media', 'geolocation', 'notifications'...). */
  permission: string;
  /** The URL of the frame asking; undefined when Electron does not say. */
  requestingUrl: string | undefined;
  /** For 'media': the devices asked for ('audio', 'video'); empty for screen or tab capture. */
  mediaTypes: readonly string[] | undefined;
}

/**
 * Every permission is denied except the microphone, and only for our own renderer document:
 * recording lectures needs it; nothing in the app needs a camera, the screen, location,
 * notifications or anything else a web page can ask for. A media request that names no device
 * (screen, window or tab capture) or any device besides the microphone is refused whole.
 */
export function isPermissionGranted(query: PermissionQuery, rendererUrl: string): boolean {
  if (query.permission !== 'media') return false;
  if (query.requestingUrl === undefined || !isRendererUrl(query.requestingUrl, rendererUrl)) return false;
  const types = query.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

/**
 * What Electron's permission check handler is told (setPermissionCheckHandler): one media type
 * per check ('audio' when the page lists microphones or queries the permission). Without a
 * requesting URL the check is about the window's main frame, or about no document at all.
 */
export function permissionCheckQuery(
  permission: string,
  details: { requestingUrl?: string; mediaType?: string },
  mainFrameUrl: string | undefined,
): PermissionQuery {
  return {
    permission,
    requestingUrl: details.requestingUrl ?? mainFrameUrl,
    mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
  };
}
