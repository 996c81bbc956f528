import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../contract/index.js';

const LOCK_FILE = 'little-monster.lock';

export interface DataFolderLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One running copy of the engine per data folder. SQLite would let a second copy in (WAL
 * allows several connections), and two engines would run the same jobs twice. The lock holds
 * the owner's pid, so a lock left by a crashed copy is taken over instead of blocking forever.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release: () => {
          if (readOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && owner !== process.pid && isRunning(owner)) {
        throw new AppError(
          'CONFLICT',
          `Little Monster is already running with this data folder (process ${owner}). ` +
            'Close the other copy first; nothing was changed.',
          { dataDir, pid: owner },
        );
      }
      // The owner is gone (or it is us after a crash that left the file): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new AppError('CONFLICT', `Could not lock the data folder ${dataDir}. Try again.`);
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}
