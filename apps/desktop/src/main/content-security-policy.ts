import { MATERIAL_FILE_SCHEME } from '../shared/material-file-url.js';

/**
 * The renderer's Content Security Policy: only the app's own files run; no eval, no remote
 * scripts, styles or connections (the engine is reached over IPC, never the network). Stored
 * originals and lecture recordings come from main's `lm-file:` protocol, as images, as audio
 * and as data for pdf.js, and nothing else may use that scheme (no frames, objects, scripts or
 * workers from it). pdf.js's worker is a file of the app, which `script-src 'self'` already covers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${MATERIAL_FILE_SCHEME}:`,
  `media-src 'self' blob: ${MATERIAL_FILE_SCHEME}:`,
  `connect-src 'self' ${MATERIAL_FILE_SCHEME}:`,
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
