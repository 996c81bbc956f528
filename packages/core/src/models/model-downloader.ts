import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, statfs } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contract/errors.js';
import { syncFile, syncFolder } from '../storage/durable-files.js';
import { formatBytes } from '../format-bytes.js';
import { httpGet, StalledError } from './http-get.js';

/** Free bytes on the drive holding `folder`. Injected in tests to simulate a full disk. */
export type FreeBytes = (folder: string) => Promise<number>;

export const statfsFreeBytes: FreeBytes = async (folder) => {
  const stats = await statfs(folder);
  return stats.bavail * stats.bsize;
};

export interface ModelDownloaderOptions {
  freeBytes?: FreeBytes;
  /** Kept free beyond the file itself, so the database can still save notes afterwards. */
  headroomBytes?: number;
  stallTimeoutMs?: number;
  maxRedirects?: number;
  userAgent?: string;
}

export interface DownloadOptions {
  expectedBytes?: number | undefined;
  /** Lowercase hex; null or absent when unknown: the file is then hashed and the hash returned. */
  sha256?: string | null | undefined;
  /**
   * Aborting stops the transfer and deletes the partial file, except when the reason is
   * 'shutdown' (the app is closing): then the part is kept so the next start resumes it.
   */
  signal?: AbortSignal | undefined;
  onProgress?: ((received: number, total: number | null) => void) | undefined;
  /** Last look at the complete part before it becomes the file; throwing deletes the part. */
  verify?: ((partPath: string) => Promise<void>) | undefined;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  /** Bytes that were already there from an earlier, interrupted attempt. */
  resumedFrom: number;
}

interface Transfer {
  response: IncomingMessage | null;
  /** Where the body starts in the file (0 when the server sends the whole file). */
  start: number;
  total: number | null;
}

export const partFile = (destination: string) => `${destination}.part`;

const SHUTDOWN = 'shutdown';

/**
 * Downloads one file into `destination`, safely: into `destination.part` first, resuming it with
 * an HTTP Range request when a part exists, hashing as it goes, then checking size and sha256,
 * syncing to disk and renaming into place. A dropped connection keeps the part for the next try.
 */
export class ModelDownloader {
  private readonly freeBytes: FreeBytes;
  private readonly headroomBytes: number;
  private readonly stallTimeoutMs: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;

  constructor(options: ModelDownloaderOptions = {}) {
    this.freeBytes = options.freeBytes ?? statfsFreeBytes;
    this.headroomBytes = options.headroomBytes ?? 32 * 1024 * 1024;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
    this.maxRedirects = options.maxRedirects ?? 10;
    this.userAgent = options.userAgent ?? 'LittleMonster (offline study app; model download)';
  }

  async download(url: string, destination: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const { signal } = options;
    const part = partFile(destination);
    const folder = dirname(destination);
    try {
      throwIfAborted(signal);
      await mkdir(folder, { recursive: true });
      let existing = await sizeOf(part);
      if (options.expectedBytes !== undefined && existing > options.expectedBytes) {
        await rm(part, { force: true });
        existing = 0;
      }
      if (options.expectedBytes !== undefined)
        await this.ensureSpace(folder, options.expectedBytes - existing);

      // Hashed before connecting, so a long re-hash never leaves the connection idle.
      let hash = createHash('sha256');
      if (existing > 0) await hashExisting(part, hash, signal);
      const transfer = await this.open(url, existing, signal);
      if (transfer.start === 0 && existing > 0) hash = createHash('sha256');
      checkTotal(transfer.total, options.expectedBytes);
      if (options.expectedBytes === undefined && transfer.total !== null)
        await this.ensureSpace(folder, transfer.total - transfer.start);
      const received = await this.receive(transfer, part, hash, options);
      const size = { received, total: transfer.total, resumedFrom: transfer.start };
      return await this.finish(url, destination, options, size, hash.digest('hex'));
    } catch (error) {
      if (signal?.aborted) {
        if (signal.reason !== SHUTDOWN) await rm(part, { force: true });
        throw new AppError('CANCELLED', 'The download was cancelled.');
      }
      throw explainNetworkError(error, url);
    }
  }

  private async ensureSpace(folder: string, remaining: number): Promise<void> {
    const needed = remaining + this.headroomBytes;
    const free = await this.freeBytes(folder);
    if (needed > free) {
      throw new AppError(
        'STORAGE_UNAVAILABLE',
        `Not enough free disk space for this model: it needs ${formatBytes(needed)} and the drive with the models folder (${folder}) has ${formatBytes(free)} free. Free some space and try again.`,
      );
    }
  }

  /** Asks for the rest of the file; tells where the body starts and how long the whole file is. */
  private async open(url: string, existing: number, signal: AbortSignal | undefined): Promise<Transfer> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, 'accept-encoding': 'identity' };
    if (existing > 0) headers.range = `bytes=${existing}-`;
    const response = await httpGet(url, {
      headers,
      signal,
      accept: [200, 206, 416],
      maxRedirects: this.maxRedirects,
      stallTimeoutMs: this.stallTimeoutMs,
    });
    const length = headerNumber(response.headers['content-length']);
    if (response.statusCode === 200) return { response, start: 0, total: length };
    const range = parseContentRange(response.headers['content-range']);
    if (response.statusCode === 416) {
      response.resume();
      // The part already holds the whole file (an earlier attempt stopped just before renaming it).
      if (range?.total === existing) return { response: null, start: existing, total: existing };
      return this.restart(url, signal);
    }
    if (!range || range.start !== existing) {
      response.destroy();
      return this.restart(url, signal);
    }
    return { response, start: existing, total: range.total ?? (length === null ? null : existing + length) };
  }

  /** A part the server cannot continue: ask for the whole file instead. */
  private restart(url: string, signal: AbortSignal | undefined): Promise<Transfer> {
    return this.open(url, 0, signal);
  }

  /** Streams the body onto the part, hashing and reporting as it goes; returns the part's new size. */
  private async receive(
    transfer: Transfer,
    part: string,
    hash: Hash,
    options: DownloadOptions,
  ): Promise<number> {
    let received = transfer.start;
    const { response } = transfer;
    options.onProgress?.(received, transfer.total);
    if (!response) return received;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        received += chunk.length;
        options.onProgress?.(received, transfer.total);
        done(null, chunk);
      },
    });
    const file = createWriteStream(part, { flags: transfer.start > 0 ? 'a' : 'w' });
    try {
      await pipeline(response, meter, file, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      // A write may still be in flight: wait for it, so the part is settled before anyone resumes or deletes it.
      if (!file.closed) await once(file, 'close');
      throw error;
    }
    return received;
  }

  /** Checks what arrived, then makes it the real file: sync, rename, sync the folder. */
  private async finish(
    url: string,
    destination: string,
    options: DownloadOptions,
    { received, total, resumedFrom }: { received: number; total: number | null; resumedFrom: number },
    sha256: string,
  ): Promise<DownloadResult> {
    const part = partFile(destination);
    const host = new URL(url).host;
    const expected = options.expectedBytes ?? total ?? undefined;
    if (expected !== undefined && received < expected) {
      throw new Error(
        `The connection to ${host} ended after ${formatBytes(received)} of ${formatBytes(expected)}. The download resumes from there on the next try.`,
      );
    }
    if (expected !== undefined && received > expected) {
      await rm(part, { force: true });
      throw new AppError(
        'CONFLICT',
        `The server sent more than the catalog's ${formatBytes(expected)}, so this is not the expected file; it was deleted. Update the app, or use a file you already have.`,
      );
    }
    if (options.sha256 && sha256 !== options.sha256) {
      await rm(part, { force: true });
      throw new AppError(
        'CONFLICT',
        `The downloaded file does not match the catalog's checksum (expected sha256 ${options.sha256.slice(0, 12)}…, got ${sha256.slice(0, 12)}…), so it was deleted. The file on the server may have changed: try again, and if it fails again update the app or use a file you already have.`,
      );
    }
    if (options.verify) {
      try {
        await options.verify(part);
      } catch (error) {
        await rm(part, { force: true });
        throw error;
      }
    }
    await syncFile(part);
    await rename(part, destination);
    await syncFolder(dirname(destination));
    return { bytes: received, sha256, resumedFrom };
  }
}

function checkTotal(total: number | null, expected: number | undefined): void {
  if (total === null || expected === undefined || total === expected) return;
  throw new AppError(
    'CONFLICT',
    `The server offers a file of ${formatBytes(total)} but the catalog expects ${formatBytes(expected)}, so it is a different file. Update the app, or use a file you already have.`,
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The download was cancelled.');
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function hashExisting(path: string, hash: Hash, signal: AbortSignal | undefined): Promise<void> {
  for await (const chunk of createReadStream(path, signal ? { signal } : {})) hash.update(chunk as Buffer);
}

export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await hashExisting(path, hash, signal);
  return hash.digest('hex');
}

function headerNumber(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function parseContentRange(value: string | undefined): { start: number; total: number | null } | null {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(value ?? '');
  if (!match) return null;
  return {
    start: match[1] === undefined ? -1 : Number(match[1]),
    total: match[2] === '*' || match[2] === undefined ? null : Number(match[2]),
  };
}

/** Socket-level failures, in words: the part is kept, so each says the download will resume. */
function explainNetworkError(error: unknown, url: string): unknown {
  if (error instanceof AppError || error instanceof StalledError) return error;
  const host = new URL(url).host;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new Error(
      `Cannot reach ${host}: this computer seems to be offline. Connect to the internet and try again; what was downloaded is kept.`,
    );
  }
  if (code === 'ECONNREFUSED') return new Error(`${host} refused the connection. Try again later.`);
  if (code === 'ENOSPC') {
    return new AppError(
      'STORAGE_UNAVAILABLE',
      'The disk became full during the download. Free some space and try again.',
    );
  }
  if (
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE' ||
    (error as Error).message === 'aborted'
  ) {
    return new Error(
      `The connection to ${host} dropped during the download. It resumes from where it stopped on the next try.`,
    );
  }
  return error;
}
