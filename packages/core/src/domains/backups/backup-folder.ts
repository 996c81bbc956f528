import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type Backup } from '../../contract/index.js';
import { readManifest } from './archive-reader.js';
import { ARCHIVE_EXTENSION, FILE_STORE_FOLDER, isAutomaticArchive } from './backup-manifest.js';

/** The folder a restore moves the replaced data into, inside the data folder's `backups/`. */
export const REPLACED_PREFIX = 'replaced-';

const namesIn = (folder: string) => readdir(folder).catch(() => [] as string[]);

/** The archives in a backup folder, newest first. */
export async function archivesIn(folder: string): Promise<string[]> {
  const archives = await Promise.all(
    (await namesIn(folder))
      .filter((name) => name.endsWith(ARCHIVE_EXTENSION))
      .map(async (name) => ({
        path: join(folder, name),
        info: await stat(join(folder, name)).catch(() => null),
      })),
  );
  return archives
    .filter((archive) => archive.info?.isFile())
    .sort((a, b) => b.info!.mtimeMs - a.info!.mtimeMs)
    .map((archive) => archive.path);
}

/** What a backup folder holds, newest first: archives, data a restore replaced, database copies. */
export async function listBackups(folder: string): Promise<Backup[]> {
  const backups: Backup[] = [];
  for (const fileName of await namesIn(folder)) {
    const path = join(folder, fileName);
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    const createdAt = info.mtime.toISOString();
    if (info.isFile() && fileName.endsWith(ARCHIVE_EXTENSION)) {
      const automatic = isAutomaticArchive(fileName);
      backups.push({
        fileName,
        path,
        kind: 'archive',
        automatic,
        bytes: info.size,
        createdAt,
        restorable: true,
      });
    } else if (info.isDirectory() && fileName.startsWith(REPLACED_PREFIX)) {
      const bytes = await folderBytes(path);
      backups.push({
        fileName,
        path,
        kind: 'replaced',
        automatic: false,
        bytes,
        createdAt,
        restorable: true,
      });
    } else if (info.isFile() && fileName.endsWith('.sqlite')) {
      backups.push({
        fileName,
        path,
        kind: 'database',
        automatic: false,
        bytes: info.size,
        createdAt,
        restorable: false,
      });
    }
  }
  return backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Deletes one backup of `folder` (and the shared files no other archive there needs). */
export async function deleteBackup(folder: string, path: string): Promise<void> {
  const backup = (await listBackups(folder)).find((candidate) => candidate.path === path);
  if (!backup) throw new AppError('NOT_FOUND', 'That backup is no longer there. It may have been deleted.');
  await rm(path, { recursive: true, force: true });
  if (backup.kind === 'archive') await pruneFileStore(folder);
}

/** Keeps the newest `keep` automatic archives of `folder`; backups made by hand are never counted. */
export async function keepNewestAutomatic(folder: string, keep: number): Promise<string[]> {
  const old = (await archivesIn(folder))
    .filter((path) => isAutomaticArchive(path.split(/[\\/]/).pop()!))
    .slice(keep);
  for (const path of old) await rm(path, { force: true });
  if (old.length > 0) await pruneFileStore(folder);
  return old;
}

/**
 * Removes the shared files no archive of the folder names any more. If any archive's manifest
 * cannot be read, nothing is removed: what it needs cannot be known.
 */
async function pruneFileStore(folder: string): Promise<void> {
  const needed = new Set<string>();
  for (const archive of await archivesIn(folder)) {
    const manifest = await readManifest(archive).catch(() => null);
    if (!manifest) return;
    for (const file of manifest.files) if (file.in === 'store') needed.add(file.sha256);
  }
  const store = join(folder, FILE_STORE_FOLDER);
  for (const prefix of await namesIn(store)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of await namesIn(join(store, prefix))) {
      if (!needed.has(name)) await rm(join(store, prefix, name), { force: true });
    }
  }
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile())
      total += (await stat(join(entry.parentPath, entry.name)).catch(() => null))?.size ?? 0;
  }
  return total;
}
