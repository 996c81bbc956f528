import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contract/index.js';
import type { ExportedFile } from '../kit/kit.js';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * GET /exports/decks/<deckId>: the deck as an Anki package, made for this download and deleted
 * once it is sent (or the download is abandoned), saved by the browser under the deck's name.
 */
export async function sendDeckPackage(
  res: ServerResponse,
  deckId: string,
  deckPackage: (deckId: string) => Promise<ExportedFile>,
): Promise<void> {
  let file: ExportedFile;
  try {
    file = await deckPackage(deckId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND')
      return json(res, 404, { error: error.message });
    throw error;
  }
  try {
    const { size } = await stat(file.path);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': size,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Cache-Control': 'no-store',
    });
    await pipeline(createReadStream(file.path), res).catch(() => res.destroy());
  } finally {
    await file.remove();
  }
}
