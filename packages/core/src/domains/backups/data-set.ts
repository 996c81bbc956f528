import { readdirSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DATABASE_FILE } from '../../db/database-copy.js';

/**
 * What of the data folder is the student's data. The rule is generic on purpose: every file under
 * the data folder is theirs (a new domain's folder is backed up and restored without a change
 * here), except the few places below that belong to this running engine or can be made again.
 */

/** Top-level entries that are never backed up and never replaced by a restore. */
const ENGINE_ENTRIES = new Set([
  'little-monster.lock', // which engine holds the folder
  'logs', // diagnostics, not study data
  'cache', // rebuilt on demand
  'backups', // the backups themselves
  'browser-session.json', // the browser mode's session across an engine restart
  '.restore', // a restore being checked
  '.backup-snapshot', // a backup being taken
  'restore-journal.json', // a restore being applied
]);

/** Entries inside the data that are moments of work in progress: replaced by a restore, never backed up. */
const TRANSIENT_FOLDERS = new Set(['tmp', 'uploads']);
const TRANSIENT_SUFFIXES = ['.part', '.tmp', '.resume'];
const TRANSIENT_PREFIXES = ['.write-check-'];

/** SQLite's own files beside the database: the snapshot replaces them in a backup. */
export const DATABASE_COMPANIONS = ['-wal', '-shm', '-journal'].map((suffix) => `${DATABASE_FILE}${suffix}`);

export interface DataPath {
  /** Relative to the data folder, with `/` separators (as in the manifest and the archive). */
  path: string;
  absolute: string;
}

export interface DataFile extends DataPath {
  bytes: number;
  mtimeMs: number;
}

/** Whether a top-level entry of the data folder is the data (a restore moves it aside and replaces it). */
export function isDataEntry(name: string, modelsEntry: string | null): boolean {
  return !ENGINE_ENTRIES.has(name) && name !== modelsEntry;
}

function isTransient(name: string, isFolder: boolean): boolean {
  if (isFolder) return TRANSIENT_FOLDERS.has(name);
  return (
    TRANSIENT_SUFFIXES.some((suffix) => name.endsWith(suffix)) ||
    TRANSIENT_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * Every file of the student's data under `dataDir` but the database (backed up as a snapshot),
 * read synchronously so the list and the database snapshot describe one moment.
 * `modelsDir`, when it lies inside the data folder, is left out: models are listed by id.
 */
export function listDataFiles(dataDir: string, modelsDir: string): DataPath[] {
  const modelsEntry = topLevelEntryOf(dataDir, modelsDir);
  const files: DataPath[] = [];
  const walk = (folder: string, top: boolean) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return; // removed while we looked: nothing of it to keep
    }
    for (const entry of entries) {
      const absolute = join(folder, entry.name);
      if (top && (!isDataEntry(entry.name, modelsEntry) || entry.name === DATABASE_FILE)) continue;
      if (top && DATABASE_COMPANIONS.includes(entry.name)) continue;
      if (isTransient(entry.name, entry.isDirectory())) continue;
      if (entry.isDirectory()) walk(absolute, false);
      else if (entry.isFile()) files.push({ path: toManifestPath(dataDir, absolute), absolute });
    }
  };
  walk(dataDir, true);
  return files;
}

/** The first component of `inner` below `outer`, or null when it is not inside. */
export function topLevelEntryOf(outer: string, inner: string): string | null {
  const path = relative(outer, inner);
  if (!path || path.startsWith('..') || path.includes(':')) return null;
  return path.split(sep)[0] ?? null;
}

export const toManifestPath = (root: string, absolute: string) =>
  relative(root, absolute).split(sep).join('/');

/**
 * A manifest path is safe to write under a folder: relative, normalised, no `..`, and not one
 * of the engine's own places (a backup can never overwrite the lock, the logs or the backups).
 */
export function isSafeDataPath(path: string): boolean {
  if (!path || path.length > 1024 || path.includes('\\') || path.includes('\0')) return false;
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes(':'))) return false;
  return isDataEntry(parts[0]!, null);
}
