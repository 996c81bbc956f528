import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseByteRange } from '../contract/index.js';
import type { StoredFile } from '../storage/stored-file.js';

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
  recordingFile: (lectureId: string) => StoredFile,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(res, 405, 'Recordings can only be read.', { Allow: 'GET, HEAD' });
  }
  let file: StoredFile;
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
