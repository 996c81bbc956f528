import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../contract/index.js';
import { isDataEntry, topLevelEntryOf } from './data-set.js';

/**
 * Replacing the data folder's contents with a checked backup, in a way a crash cannot leave
 * half done. The engine has the folder closed (this runs at start-up, holding the folder's
 * lock, before the database opens). A journal names every move before the first one is made:
 * first each entry of the current data into a `backups/replaced-…` folder, then each entry of
 * the staged backup into its place. Each move is one rename on the same file system, so it
 * happens whole or not at all; a start that finds the journal makes the moves that are left, in
 * the same order. So the folder holds the old data (no journal yet) or the new, never a mix.
 */

export const JOURNAL_FILE = 'restore-journal.json';
/** Backups being checked and staged, inside the data folder (same file system as the data). */
export const RESTORE_FOLDER = '.restore';

const JournalSchema = z.object({
  state: z.enum(['staged', 'swapping']),
  /** Relative to the data folder: the folder holding the data to put in place. */
  from: z.string(),
  /** Relative to the data folder: where the data it replaces is kept. */
  aside: z.string(),
  /** The backup, as the student knows it (its file name). */
  source: z.string(),
  missingModels: z.array(z.string()),
  /** Every move, in order, relative to the data folder; written before the first is made. */
  moves: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export type RestoreJournal = z.infer<typeof JournalSchema>;

export interface AppliedRestore {
  source: string;
  /** Where the replaced data is kept, relative to the data folder. */
  replaced: string;
  missingModels: string[];
}

export interface ApplyOptions {
  modelsDir: string;
  /** Told after each move (tests stop the process here, as a crash would). */
  afterMove?: (done: number, total: number) => void;
}

/** Records that a checked, staged backup is to replace the data at the next opening. */
export function stageRestore(dataDir: string, journal: Omit<RestoreJournal, 'state' | 'moves'>): void {
  writeJournal(dataDir, { ...journal, state: 'staged' });
}

export function hasPendingRestore(dataDir: string): boolean {
  return existsSync(join(dataDir, JOURNAL_FILE));
}

/** Finishes a restore that was staged or cut short; null when there is none. */
export function applyPendingRestore(dataDir: string, options: ApplyOptions): AppliedRestore | null {
  const journal = readJournal(dataDir);
  if (!journal) return null;
  const from = join(dataDir, journal.from);
  if (journal.state === 'staged' && !existsSync(from)) {
    // Staged data that is gone cannot be applied; the live data was never touched.
    rmSync(join(dataDir, JOURNAL_FILE), { force: true });
    return null;
  }
  let moves = journal.moves;
  if (journal.state === 'staged' || !moves) {
    moves = plannedMoves(dataDir, journal, options.modelsDir);
    writeJournal(dataDir, { ...journal, state: 'swapping', moves });
  }
  mkdirSync(join(dataDir, journal.aside), { recursive: true });
  moves.forEach(([source, target], index) => {
    const sourcePath = join(dataDir, source);
    const targetPath = join(dataDir, target);
    if (!existsSync(targetPath) && existsSync(sourcePath)) renameSync(sourcePath, targetPath);
    options.afterMove?.(index + 1, moves.length);
  });
  syncFolder(join(dataDir, journal.aside));
  syncFolder(dataDir);
  rmSync(join(dataDir, JOURNAL_FILE), { force: true });
  syncFolder(dataDir);
  rmSync(from, { recursive: true, force: true });
  return { source: journal.source, replaced: journal.aside, missingModels: journal.missingModels };
}

/** The current data goes aside first, then the staged data comes in. */
function plannedMoves(dataDir: string, journal: RestoreJournal, modelsDir: string): [string, string][] {
  const modelsEntry = topLevelEntryOf(dataDir, modelsDir);
  const current = readdirSync(dataDir).filter((name) => isDataEntry(name, modelsEntry));
  const incoming = readdirSync(join(dataDir, journal.from));
  return [
    ...current.map((name): [string, string] => [name, `${journal.aside}/${name}`]),
    ...incoming.map((name): [string, string] => [`${journal.from}/${name}`, name]),
  ];
}

function readJournal(dataDir: string): RestoreJournal | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, JOURNAL_FILE), 'utf8');
  } catch {
    return null;
  }
  // Written whole or not at all (see writeJournal): one that does not parse was not written by us.
  const parsed = JournalSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new AppError(
      'STORAGE_UNAVAILABLE',
      `The data folder ${dataDir} holds a restore journal (${JOURNAL_FILE}) that is not valid. Nothing was changed; move that file away and start again.`,
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Replaces the journal in one step, flushed to the disk before the moves it names begin. */
function writeJournal(dataDir: string, journal: RestoreJournal): void {
  const path = join(dataDir, JOURNAL_FILE);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(journal));
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncFolder(dirname(path));
}

/** Makes renames in a folder durable; folders cannot be opened on Windows, where it is not needed. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the renames themselves happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
