import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

export interface RecordingFile {
  path: string;
  mimeType: string;
  name: string;
}

/** What a Range header asks of a file of `size` bytes (RFC 9110 §14). */
export type ByteRange =
  { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads one `bytes=` range. A header this cannot serve as one range (another unit, several
 * ranges, bad syntax) is ignored and the whole file sent, as the RFC allows; a range that starts
 * past the end is unsatisfiable.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  const match = header === undefined ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    // A suffix: the last n bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  // A recording grows while it is made and is rewritten when it stops.
  'Cache-Control': 'no-cache',
};

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers })
    .end(message);
}

/**
 * GET (or HEAD) /recordings/<lectureId>: a lecture's audio, with byte ranges so the player can
 * seek (Chromium asks for ranges and will not seek in a file served without them). The file is
 * opened once and measured and read through that handle, so a recording rewritten meanwhile
 * cannot turn into a mixed response.
 */
export async function sendRecordingFile(
  req: IncomingMessage,
  res: ServerResponse,
  lectureId: string,
  recordingFile: (lectureId: string) => RecordingFile,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(res, 405, 'Recordings can only be read.', { Allow: 'GET, HEAD' });
  }
  let file: RecordingFile;
  try {
    file = recordingFile(lectureId);
  } catch {
    return refuse(res, 404, 'That lecture no longer exists.');
  }
  const handle = await open(file.path, 'r').catch(() => null);
  const info = await handle?.stat().catch(() => null);
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return refuse(res, 404, 'The recording is missing from the data folder.');
  }
  const range = parseByteRange(req.headers.range, info.size);
  if (range.kind === 'unsatisfiable') {
    await handle.close();
    return refuse(res, 416, 'That part of the recording does not exist.', {
      'Content-Range': `bytes */${info.size}`,
    });
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, info.size - 1];
  res.writeHead(range.kind === 'part' ? 206 : 200, {
    ...COMMON_HEADERS,
    'Content-Type': file.mimeType,
    'Content-Length': String(end - start + 1),
    'Accept-Ranges': 'bytes',
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    ...(range.kind === 'part' ? { 'Content-Range': `bytes ${start}-${end}/${info.size}` } : {}),
  });
  if (req.method === 'HEAD' || info.size === 0) {
    await handle.close();
    res.end();
    return;
  }
  await pipeline(handle.createReadStream({ start, end }), res).catch(() => res.destroy());
}
