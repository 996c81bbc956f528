/**
 * The window loads a material's stored original (pdf.js, <img>) from
 * `lm-file://material/<materialId>`, served by main (main/material-files.ts): the desktop's
 * counterpart of the browser mode's GET /files/<id>. The UI's bridge transport builds these
 * URLs (files.urlOf); a test checks that its URLs are the ones main parses.
 */
export const MATERIAL_FILE_SCHEME = 'lm-file';
const MATERIAL_HOST = 'material';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function materialFileUrl(materialId: string): string {
  return `${MATERIAL_FILE_SCHEME}://${MATERIAL_HOST}/${encodeURIComponent(materialId)}`;
}

/**
 * The material id in `lm-file://material/<uuid>`, or null for anything else: another host, a
 * longer path, credentials or a port, or an id that is not a UUID (so no path of any kind ever
 * reaches the engine). A query or fragment is ignored.
 */
export function materialIdOfUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MATERIAL_FILE_SCHEME}:` || parsed.hostname !== MATERIAL_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  const id = parsed.pathname.slice(1);
  return UUID.test(id) ? id.toLowerCase() : null;
}
