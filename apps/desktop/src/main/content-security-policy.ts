/**
 * The renderer's Content Security Policy: only the app's own files run; no eval, no remote
 * scripts, styles or connections (the engine is reached over IPC, never the network).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The same policy for the <meta> tag in renderer/index.html, which is what applies to a page
 * loaded from a file. `frame-ancestors` is left out there because browsers ignore it in a
 * <meta> tag (and warn); the response header carries it.
 */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
