import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseByteRange, type ErrorCode, type Result } from '@little-monster/core/contract';
import type { Privileges } from 'electron';
import type { StoredFile } from '../shared/engine-protocol.js';
import { lectureIdOfUrl, materialIdOfUrl, storedFileOfUrl } from '../shared/material-file-url.js';

/** For protocol.registerSchemesAsPrivileged, before the app is ready: `lm-file:` (shared/material-file-url.ts). */
export const MATERIAL_FILE_PRIVILEGES: Privileges = {
  // Parsed like http: (a host and a path), so "material" is the host and dot segments cannot climb out.
  standard: true,
  // Same standing as the page; nothing is treated as mixed content.
  secure: true,
  // The viewer fetch()es PDFs for pdf.js; the page (file://) is another origin, so CORS must be allowed.
  supportFetchAPI: true,
  corsEnabled: true,
  // Large PDFs and recordings go out as they are read, not buffered whole; <audio> can stream.
  stream: true,
  // Everything else stays off: the page's CSP applies, and no service worker may claim the scheme.
  bypassCSP: false,
  allowServiceWorkers: false,
};

/**
 * Where main learns where a stored file is; in the app, the engine process
 * (EngineHost.materialFile and EngineHost.recordingFile).
 */
export type StoredFileLookup = (id: string) => Promise<Result<StoredFile>>;

export interface StoredFileLookups {
  material: StoredFileLookup;
  recording: StoredFileLookup;
}

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

const stream = (handle: FileHandle, start: number, end: number) =>
  Readable.toWeb(
    handle.createReadStream({ start, end }),
  ) as NodeReadableStream<Uint8Array> as ReadableStream<Uint8Array>;

/** Answers one `lm-file:` request, by the kind of file its URL names. */
export function respondWithStoredFile(request: Request, lookups: StoredFileLookups): Promise<Response> {
  return storedFileOfUrl(request.url)?.kind === 'recording'
    ? respondWithRecordingFile(request, lookups.recording)
    : respondWithMaterialFile(request, lookups.material);
}

/**
 * GET (or HEAD) of a material's original, streamed from the store with its content type. 404
 * for a URL that names no material or a material whose file is gone, 503 while the engine
 * restarts. Requests that would open the file as a page are refused.
 */
export async function respondWithMaterialFile(request: Request, lookup: StoredFileLookup): Promise<Response> {
  const opened = await openRequested(request, materialIdOfUrl(request.url), lookup, {
    readOnly: 'Stored files can only be read.',
    missing: 'The stored file is missing. Import it again.',
  });
  if (opened instanceof Response) return opened;
  const { file, handle, size } = opened;
  const headers = { ...fileHeaders(file), 'Content-Length': String(size) };
  if (request.method === 'HEAD' || size === 0) {
    await handle.close();
    return new Response(null, { status: 200, headers });
  }
  return new Response(stream(handle, 0, size - 1), { status: 200, headers });
}

/**
 * GET (or HEAD) of a lecture's recording, with byte ranges: an <audio> element seeks by asking
 * for a range, and Chromium will not seek in a file served without them. One `bytes=` range gets
 * 206 with its Content-Range; a range the file does not have gets 416; anything else, the whole
 * file. A recording grows while it is made and is rewritten when it stops, so none of it is cached.
 */
export async function respondWithRecordingFile(
  request: Request,
  lookup: StoredFileLookup,
): Promise<Response> {
  const opened = await openRequested(request, lectureIdOfUrl(request.url), lookup, {
    readOnly: 'Recordings can only be read.',
    missing: 'The recording is missing from the data folder.',
  });
  if (opened instanceof Response) return opened;
  const { file, handle, size } = opened;
  const common = { 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
  // Ranges are defined for GET only (RFC 9110 §14.2).
  const range = parseByteRange(request.method === 'GET' ? request.headers.get('range') : null, size);
  if (range.kind === 'unsatisfiable') {
    await handle.close();
    return answer(416, 'That part of the recording does not exist.', {
      ...common,
      'Content-Range': `bytes */${size}`,
    });
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  const headers = {
    ...fileHeaders(file),
    ...common,
    'Content-Length': String(end - start + 1),
    ...(range.kind === 'part' ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  };
  const status = range.kind === 'part' ? 206 : 200;
  if (request.method === 'HEAD' || size === 0) {
    await handle.close();
    return new Response(null, { status, headers });
  }
  return new Response(stream(handle, start, end), { status, headers });
}

function fileHeaders(file: StoredFile): Record<string, string> {
  return {
    ...COMMON_HEADERS,
    'Content-Type': file.mimeType,
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
  };
}

/**
 * The checks every `lm-file:` request goes through before any byte is read, then the file opened
 * once and measured through that handle: a file removed or rewritten meanwhile cannot turn into
 * a half or mixed response. A Response is a refusal, to be sent as it is.
 */
async function openRequested(
  request: Request,
  id: string | null,
  lookup: StoredFileLookup,
  messages: { readOnly: string; missing: string },
): Promise<Response | { file: StoredFile; handle: FileHandle; size: number }> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return answer(405, messages.readOnly, { Allow: 'GET, HEAD' });
  }
  // The viewer embeds stored files (pdf.js, <img>, <audio>); the window never navigates to one
  // (guardWebContents stops that too; this covers a request that says it is a navigation).
  if (request.headers.get('sec-fetch-mode') === 'navigate') {
    return answer(403, 'Stored files open in the viewer, not as a page.');
  }
  if (id === null) return answer(404, 'There is no such file.');

  const found = await lookup(id);
  if (!found.ok) return answer(STATUS_OF[found.error.code] ?? 500, found.error.message);

  const handle = await open(found.value.path, 'r').catch(() => null);
  const info = await handle?.stat().catch(() => null);
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return answer(404, messages.missing);
  }
  return { file: found.value, handle, size: info.size };
}
