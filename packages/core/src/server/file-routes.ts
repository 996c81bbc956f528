import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contract/index.js';

/** Largest file the browser mode accepts in one upload (the importer has the same limit). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export interface FileRouteDeps {
  uploadsDir: string;
  materialFile(id: string): { path: string; mimeType: string; name: string };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * POST /uploads: the browser sends one file as the request body; it lands in the uploads folder
 * under a fresh id, complete or not at all, and `materials.import` then takes it by that id.
 */
export async function receiveUpload(
  req: IncomingMessage,
  res: ServerResponse,
  deps: FileRouteDeps,
): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) {
    req.resume();
    return json(res, 413, { error: `This file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` });
  }
  await mkdir(deps.uploadsDir, { recursive: true });
  const uploadId = randomUUID();
  const partial = join(deps.uploadsDir, `${uploadId}.part`);
  let received = 0;
  try {
    await pipeline(
      req,
      async function* limit(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          if (received > MAX_UPLOAD_BYTES) throw new AppError('INVALID_INPUT', 'This file is too large.');
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
    await rename(partial, join(deps.uploadsDir, uploadId));
    json(res, 201, { uploadId, bytes: received });
  } catch (error) {
    await rm(partial, { force: true });
    if (!res.headersSent)
      json(res, error instanceof AppError ? 413 : 400, { error: (error as Error).message });
  }
}

/** GET /files/<materialId>: the stored original, for the viewer (pdf.js fetches it). */
export async function sendMaterialFile(res: ServerResponse, id: string, deps: FileRouteDeps): Promise<void> {
  let file: { path: string; mimeType: string; name: string };
  try {
    file = deps.materialFile(id);
  } catch {
    return json(res, 404, { error: 'That material no longer exists.' });
  }
  const info = await stat(file.path).catch(() => undefined);
  if (!info) return json(res, 404, { error: 'The stored file is missing.' });
  res.writeHead(200, {
    'Content-Type': file.mimeType,
    'Content-Length': info.size,
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Cache-Control': 'private, max-age=3600',
  });
  await pipeline(createReadStream(file.path), res).catch(() => res.destroy());
}
