/**
 * The window reads stored files through `lm-file:`, served by main (main/material-files.ts):
 *
 *   lm-file://material/<materialId>   a material's original (pdf.js, <img>): the browser
 *                                     mode's GET /files/<id>
 *   lm-file://recording/<lectureId>   a lecture's audio (<audio>, with byte ranges): the
 *                                     browser mode's GET /recordings/<id>
 *
 * The UI's bridge transport builds these URLs; a test checks that its URLs are the ones main parses.
 */
export const MATERIAL_FILE_SCHEME = 'lm-file';

/** The kinds of stored file the window may read, by URL host. */
export type StoredFileKind = 'material' | 'recording';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const urlOf = (kind: StoredFileKind, id: string) =>
  `${MATERIAL_FILE_SCHEME}://${kind}/${encodeURIComponent(id)}`;

export const materialFileUrl = (materialId: string): string => urlOf('material', materialId);
export const recordingFileUrl = (lectureId: string): string => urlOf('recording', lectureId);

/**
 * The file an `lm-file://<kind>/<uuid>` URL names, or null for anything else: another host, a
 * longer path, credentials or a port, or an id that is not a UUID (so no path of any kind ever
 * reaches the engine). A query or fragment is ignored.
 */
export function storedFileOfUrl(url: string): { kind: StoredFileKind; id: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MATERIAL_FILE_SCHEME}:`) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  const kind = parsed.hostname;
  if (kind !== 'material' && kind !== 'recording') return null;
  const id = parsed.pathname.slice(1);
  return UUID.test(id) ? { kind, id: id.toLowerCase() } : null;
}

/** The material id in `lm-file://material/<uuid>`, or null for any other URL. */
export function materialIdOfUrl(url: string): string | null {
  const file = storedFileOfUrl(url);
  return file?.kind === 'material' ? file.id : null;
}

/** The lecture id in `lm-file://recording/<uuid>`, or null for any other URL. */
export function lectureIdOfUrl(url: string): string | null {
  const file = storedFileOfUrl(url);
  return file?.kind === 'recording' ? file.id : null;
}
