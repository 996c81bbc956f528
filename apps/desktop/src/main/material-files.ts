import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ErrorCode, Result } from '@little-monster/core/contract';
import type { Privileges } from 'electron';
import type { MaterialFile } from '../shared/engine-protocol.js';
import { materialIdOfUrl } from '../shared/material-file-url.js';

/** For protocol.registerSchemesAsPrivileged, before the app is ready: `lm-file:` (shared/material-file-url.ts). */
export const MATERIAL_FILE_PRIVILEGES: Privileges = {
  // Parsed like http: (a host and a path), so "material" is the host and dot segments cannot climb out.
  standard: true,
  // Same standing as the page; nothing is treated as mixed content.
  secure: true,
  // The viewer fetch()es PDFs for pdf.js; the page (file://) is another origin, so CORS must be allowed.
  supportFetchAPI: true,
  corsEnabled: true,
  // Large PDFs go out as they are read, not buffered whole.
  stream: true,
  // Everything else stays off: the page's CSP applies, and no service worker may claim the scheme.
  bypassCSP: false,
  allowServiceWorkers: false,
};

/** Where main learns a material's stored original; in the app, the engine process (EngineHost.materialFile). */
export type MaterialFileLookup = (materialId: string) => Promise<Result<MaterialFile>>;

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  ENGINE_UNAVAILABLE: 503,
};

/** Never rendered as a page of its own, never sniffed into another type. */
const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
};

const answer = (status: number, message: string, extra: Record<string, string> = {}) =>
  new Response(message, {
    status,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });

/**
 * Answers one `lm-file:` request: GET (or HEAD) of a material's original, streamed from the
 * store with its content type. 404 for a URL that names no material or a material whose file is
 * gone, 503 while the engine restarts. Requests that would open the file as a page are refused.
 */
export async function respondWithMaterialFile(
  request: Request,
  lookup: MaterialFileLookup,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return answer(405, 'Stored files can only be read.', { Allow: 'GET, HEAD' });
  }
  // The viewer embeds originals (pdf.js, <img>); the window never navigates to one (guardWebContents
  // stops that too; this covers a request that says it is a navigation).
  if (request.headers.get('sec-fetch-mode') === 'navigate') {
    return answer(403, 'Stored files open in the viewer, not as a page.');
  }
  const materialId = materialIdOfUrl(request.url);
  if (materialId === null) return answer(404, 'There is no such file.');

  const found = await lookup(materialId);
  if (!found.ok) return answer(STATUS_OF[found.error.code] ?? 500, found.error.message);

  const file = found.value;
  // Opened once, then measured and read through the same handle: a file removed in between
  // cannot turn into a half response.
  const handle = await open(file.path, 'r').catch(() => null);
  const info = await handle?.stat().catch(() => null);
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return answer(404, 'The stored file is missing. Import it again.');
  }
  const headers = {
    ...COMMON_HEADERS,
    'Content-Type': file.mimeType,
    'Content-Length': String(info.size),
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
  };
  if (request.method === 'HEAD') {
    await handle.close();
    return new Response(null, { status: 200, headers });
  }
  const body = Readable.toWeb(handle.createReadStream()) as NodeReadableStream<Uint8Array>;
  return new Response(body as ReadableStream<Uint8Array>, { status: 200, headers });
}
