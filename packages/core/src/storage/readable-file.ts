import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { AppError } from '../contract/index.js';

/** A file the student chose: its stats, or a message saying why it cannot be read. */
export async function statReadableFile(path: string): Promise<Stats> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    throw readError(error);
  });
}

function readError(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT')
    return new AppError('NOT_FOUND', 'This file could not be found. It may have been moved or deleted.');
  if (error.code === 'EACCES' || error.code === 'EPERM')
    return new AppError(
      'INVALID_INPUT',
      'Little Monster is not allowed to read this file. Check its permissions.',
    );
  return error;
}

/**
 * Only regular files are read: a folder is not a file, and a device (`/dev/zero`), a named pipe
 * or a socket never ends or never answers, which would fill the disk or hang the import.
 */
export function assertRegularFile(info: Stats): void {
  if (info.isFile()) return;
  if (info.isDirectory())
    throw new AppError('INVALID_INPUT', 'This is a folder, not a file. Choose the files inside it.');
  const kind = info.isFIFO()
    ? 'a named pipe'
    : info.isSocket()
      ? 'a socket'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  throw new AppError(
    'INVALID_INPUT',
    `This is ${kind}, not a file with content Little Monster could import. Choose a document, a picture or a recording.`,
  );
}

/** An open regular file, read as a stream of chunks up to the size it had when opened. */
export interface OpenedFile {
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Opens a file the student chose for reading, after checking, before a byte is read, that it is
 * a regular file of an acceptable size: `checkSize` throws to refuse it. Checked again on the
 * open handle, so a path swapped for a pipe or a device in between is still refused; opened
 * non-blocking, so even then the open cannot hang.
 */
export async function openRegularFile(path: string, checkSize: (bytes: number) => void): Promise<OpenedFile> {
  const checked = await statReadableFile(path);
  assertRegularFile(checked);
  checkSize(checked.size);
  const handle: FileHandle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(
    (error: NodeJS.ErrnoException) => {
      throw readError(error);
    },
  );
  try {
    const info = await handle.stat();
    assertRegularFile(info);
    checkSize(info.size);
    return {
      size: info.size,
      chunks: () => handle.createReadStream({ start: 0, end: Math.max(0, info.size - 1), autoClose: false }),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
