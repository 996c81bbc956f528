import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../contract/index.js';
import { fixture } from '../ingest/test-support/fixtures.js';
import { silentLogger } from '../logging/logger.js';
import { tempDir } from '../test-support/temp-core.js';
import { defaultMigrationsDir, knownSchemaVersion } from './migrations.js';
import { DATABASE_FILE, openDatabase } from './open-database.js';

const migrationsDir = defaultMigrationsDir();
let dir: ReturnType<typeof tempDir>;
let dataDir: string;

beforeEach(() => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
});
afterEach(() => dir.remove());

const open = (migrations = migrationsDir) =>
  openDatabase({
    dataDir,
    migrationsDir: migrations,
    backupsDir: join(dataDir, 'backups'),
    logger: silentLogger(),
  });

function startupError(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the database to be refused');
}

/** A copy of the migrations as the previous release shipped them (all but the last). */
function previousMigrations(): string {
  const folder = join(dir.path, 'previous-migrations');
  cpSync(migrationsDir, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  journal.entries.pop();
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe('openDatabase', () => {
  it('creates a fresh database with WAL, foreign keys, every migration and working search extensions', () => {
    const storage = open();
    try {
      expect(storage.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(storage.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(storage.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(storage.schemaVersion).toBe(knownSchemaVersion(migrationsDir));
      const tables = storage.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(expect.arrayContaining(['classes', 'class_exams', 'settings', 'jobs']));
      expect(storage.selfCheck).toEqual({ fts5: true, sqliteVec: 'v0.4.0' });
    } finally {
      storage.close();
    }
  });

  it('keeps answering from vectors stored by the sqlite-vec the app used before (0.1.9)', () => {
    // fixtures/db/sqlite-vec-0.1.9.sqlite: a cosine vec0 table of 12 vectors v(i), written by sqlite-vec 0.1.9.
    const v = (i: number) =>
      new Float32Array([
        Math.cos(i),
        Math.sin(i),
        Math.cos(2 * i),
        Math.sin(2 * i),
        Math.cos(3 * i),
        Math.sin(3 * i),
        1,
        i / 12,
      ]);
    cpSync(fixture('db/sqlite-vec-0.1.9.sqlite'), join(dataDir, DATABASE_FILE));
    const storage = open();
    try {
      const nearest = (query: Float32Array) =>
        storage.sqlite
          .prepare('SELECT rowid FROM chunk_vec WHERE embedding MATCH ? AND k = 2 ORDER BY distance')
          .pluck()
          .all(query);
      expect(nearest(v(5))).toEqual([5, 11]);
      storage.sqlite.prepare('DELETE FROM chunk_vec WHERE rowid = ?').run(5n);
      storage.sqlite.prepare('INSERT INTO chunk_vec (rowid, embedding) VALUES (?, ?)').run(13n, v(13));
      expect(nearest(v(5))).toEqual([11, 12]);
      expect(nearest(v(13))[0]).toBe(13);
    } finally {
      storage.close();
    }
  });

  it('upgrades a database from the previous schema, keeping its data and a copy made before the upgrade', () => {
    const old = open(previousMigrations());
    expect(old.schemaVersion).toBe(knownSchemaVersion(migrationsDir) - 1);
    old.sqlite
      .prepare(
        "INSERT INTO classes (id, name, color, sort_order, created_at, updated_at) VALUES ('c1', 'Biology', '#00aa00', 0, 'x', 'x')",
      )
      .run();
    old.close();

    const upgraded = open();
    try {
      expect(upgraded.schemaVersion).toBe(knownSchemaVersion(migrationsDir));
      expect(upgraded.sqlite.prepare('SELECT name FROM classes').pluck().all()).toEqual(['Biology']);
      expect(upgraded.sqlite.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(0);
      const copies = readdirSync(join(dataDir, 'backups'));
      expect(copies).toHaveLength(1);
      const copy = new Database(join(dataDir, 'backups', copies[0]!), { readonly: true });
      expect(copy.prepare('SELECT name FROM classes').pluck().all()).toEqual(['Biology']);
      copy.close();
    } finally {
      upgraded.close();
    }
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    open().close();
    const file = join(dataDir, DATABASE_FILE);
    const newer = new Database(file);
    newer.pragma('user_version = 99');
    newer.close();
    const before = readFileSync(file);

    const error = startupError(open);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/newer version of Little Monster.*Update the app/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a damaged database file and never overwrites it', () => {
    const file = join(dataDir, DATABASE_FILE);
    open().close();
    const garbage = Buffer.concat([Buffer.from('definitely not SQLite '), Buffer.alloc(4096, 7)]);
    writeFileSync(file, garbage);

    const error = startupError(open);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/is damaged.*has not been changed/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    // The lock is released, so fixing the file and starting again works.
    writeFileSync(file, '');
    open().close();
  });

  it('refuses a data folder another running copy holds, and takes over the lock of a copy that crashed', async () => {
    open().close();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dataDir, 'little-monster.lock'), String(other.pid));
      const error = startupError(open);
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/already running with this data folder/);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    const storage = open();
    expect(storage.schemaVersion).toBeGreaterThan(0);
    storage.close();
    expect(existsSync(join(dataDir, 'little-monster.lock'))).toBe(false);
  });

  it('says clearly when the data folder cannot be written', () => {
    const notAFolder = join(dir.path, 'a-file');
    writeFileSync(notAFolder, 'x');
    dataDir = join(notAFolder, 'data');
    const error = startupError(open);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/cannot write to its data folder/);
  });
});
