import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { AppError } from '../contract/index.js';

/** A file the student chose: its stats, or a message saying why it cannot be read. */
export async function statReadableFile(path: string): Promise<Stats> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new AppError('NOT_FOUND', 'This file could not be found. It may have been moved or deleted.');
    if (error.code === 'EACCES' || error.code === 'EPERM')
      throw new AppError(
        'INVALID_INPUT',
        'Little Monster is not allowed to read this file. Check its permissions.',
      );
    throw error;
  });
}
