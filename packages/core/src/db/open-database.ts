import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'pino';
import * as sqliteVec from 'sqlite-vec';
import { AppError } from '../contract/index.js';
import { lockDataFolder, type DataFolderLock } from './data-folder-lock.js';
import { knownSchemaVersion } from './migrations.js';
import * as schema from './schema/index.js';
import { runSelfCheck, type StorageSelfCheck } from './self-check.js';

export const DATABASE_FILE = 'little-monster.sqlite';

export type AppDatabase = BetterSQLite3Database<typeof schema>;

export interface OpenedDatabase {
  sqlite: Database.Database;
  db: AppDatabase;
  file: string;
  schemaVersion: number;
  selfCheck: StorageSelfCheck;
  close(): void;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  migrationsDir: string;
  backupsDir: string;
  logger: Logger;
}

/**
 * Opens the student's database: refuses, without writing anything, a folder it cannot write,
 * a database another copy is using, a damaged file or one written by a newer version; then
 * migrates (after a safety copy) and proves FTS5 and sqlite-vec work.
 */
export function openDatabase({
  dataDir,
  migrationsDir,
  backupsDir,
  logger,
}: OpenDatabaseOptions): OpenedDatabase {
  ensureWritableFolder(dataDir);
  const lock = lockDataFolder(dataDir);
  const file = join(dataDir, DATABASE_FILE);
  let sqlite: Database.Database | undefined;
  try {
    const existed = existsSync(file);
    sqlite = new Database(file);
    sqlite.pragma('busy_timeout = 5000');
    const found = readSchemaVersion(sqlite, file);
    const known = knownSchemaVersion(migrationsDir);
    if (found > known) {
      throw new AppError(
        'CONFLICT',
        `This data was saved by a newer version of Little Monster (schema ${found}; this version knows ${known}). ` +
          'Update the app to open it; nothing was changed.',
        { file, found, known },
      );
    }
    if (existed) assertIntact(sqlite, file);

    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // Off while migrating: a migration that rebuilds a table drops the old one, which with foreign
    // keys on would delete (or block on) the rows that point at it. They are checked afterwards.
    sqlite.pragma('foreign_keys = OFF');
    // Inside a packaged app the extension must be loaded from the unpacked copy of the asar.
    sqlite.loadExtension(sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'));

    if (existed && found > 0 && found < known) {
      const copy = join(backupsDir, `before-upgrade-v${found}-${Date.now()}.sqlite`);
      mkdirSync(backupsDir, { recursive: true });
      sqlite.prepare('VACUUM INTO ?').run(copy);
      logger.info({ copy, from: found, to: known }, 'database copied before upgrade');
    }
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: migrationsDir });
    assertForeignKeysHold(sqlite, file);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`user_version = ${known}`);

    const selfCheck = runSelfCheck(sqlite);
    logger.info({ file, schemaVersion: known, ...selfCheck }, 'database ready');
    const opened = sqlite;
    return {
      sqlite: opened,
      db,
      file,
      schemaVersion: known,
      selfCheck,
      close: () => closeAndUnlock(opened, lock),
    };
  } catch (error) {
    sqlite?.close();
    lock.release();
    throw toStartupError(error, file);
  }
}

function closeAndUnlock(sqlite: Database.Database, lock: DataFolderLock): void {
  if (sqlite.open) {
    // Fold the WAL back into the main file so a copy of the folder is complete.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
  }
  lock.release();
}

function ensureWritableFolder(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    const probe = join(dataDir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new AppError(
      'STORAGE_UNAVAILABLE',
      `Little Monster cannot write to its data folder ${dataDir} (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Choose a folder you can write to, or fix its permissions.',
      { dataDir },
    );
  }
}

function readSchemaVersion(sqlite: Database.Database, file: string): number {
  try {
    return sqlite.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw toStartupError(error, file);
  }
}

function assertIntact(sqlite: Database.Database, file: string): void {
  const result = sqlite.pragma('quick_check(1)', { simple: true });
  if (result !== 'ok') throw damaged(file, String(result));
}

function assertForeignKeysHold(sqlite: Database.Database, file: string): void {
  const broken = sqlite.pragma('foreign_key_check') as { table: string }[];
  if (broken.length > 0)
    throw damaged(file, `${broken.length} rows of ${broken[0]!.table} point at missing rows`);
}

const damaged = (file: string, reason: string) =>
  new AppError(
    'STORAGE_UNAVAILABLE',
    `The database ${file} is damaged (${reason}). It has not been changed: restore a copy from the backups folder, ` +
      'or move the file away to start fresh.',
    { file },
  );

function toStartupError(error: unknown, file: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return damaged(file, 'not a valid database');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'CONFLICT',
      `The database ${file} is locked by another program. Close it and start Little Monster again; nothing was changed.`,
      { file },
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_FULL') {
    return new AppError('STORAGE_UNAVAILABLE', `The database ${file} cannot be written (${code}).`, { file });
  }
  return new AppError('INTERNAL', `The database ${file} could not be opened: ${(error as Error).message}`, {
    file,
  });
}
