import { isRendererUrl } from './renderer-url.js';

export interface PermissionQuery {
  /** Electron's permission name ('media', 'geolocation', 'notifications'...). */
  permission: string;
  /** The URL of the frame asking; undefined when Electron does not say. */
  requestingUrl: string | undefined;
  /** For 'media': what is asked for ('audio', 'video', or 'unknown' in permission checks). */
  mediaTypes: readonly string[] | undefined;
}

/**
 * Every permission is denied except the microphone, and only for our own renderer document:
 * recording lectures needs it; nothing in the app needs a camera, location, notifications or
 * anything else a web page can ask for.
 */
export function isPermissionGranted(query: PermissionQuery, rendererUrl: string): boolean {
  if (query.permission !== 'media') return false;
  if (query.requestingUrl === undefined || !isRendererUrl(query.requestingUrl, rendererUrl)) return false;
  const types = query.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio' || type === 'unknown');
}
