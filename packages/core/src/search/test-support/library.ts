import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { extractBundledVocabulary } from '../../ai/tokenizer/bundled-vocabulary.js';
import {
  loadVocabularyTokenCounter,
  type LoadedTokenCounter,
} from '../../ai/tokenizer/vocabulary-token-counter.js';
import { defaultMigrationsDir } from '../../db/migrations.js';
import { openDatabase, type OpenedDatabase } from '../../db/open-database.js';
import type { MaterialType } from '../../db/schema/materials.js';
import { silentLogger } from '../../logging/logger.js';
import { tempDir } from '../../test-support/temp-core.js';

/** The app's real database (migrations, FTS5 triggers, sqlite-vec) in a temp folder. */
export function openLibraryDatabase(): OpenedDatabase & { remove(): void } {
  const dir = tempDir('lm-search-');
  const storage = openDatabase({
    dataDir: join(dir.path, 'data'),
    migrationsDir: defaultMigrationsDir(),
    backupsDir: join(dir.path, 'backups'),
    logger: silentLogger(),
  });
  return {
    ...storage,
    remove: () => {
      storage.close();
      dir.remove();
    },
  };
}

export function insertClass(sqlite: Database.Database, name: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  sqlite
    .prepare(
      "INSERT INTO classes (id, name, color, sort_order, created_at, updated_at) VALUES (?, ?, '#4f7cff', 0, ?, ?)",
    )
    .run(id, name, now, now);
  return id;
}

export interface MaterialFixture {
  title: string;
  type?: MaterialType;
  classId?: string | null;
  importedAt?: string;
}

export function insertMaterial(sqlite: Database.Database, material: MaterialFixture): string {
  const id = randomUUID();
  const importedAt = material.importedAt ?? new Date().toISOString();
  sqlite
    .prepare(
      `INSERT INTO materials (id, class_id, title, type, status, blob_sha256, source_name, mime_type, bytes, imported_at, updated_at)
       VALUES (?, ?, ?, ?, 'ready', ?, ?, 'application/pdf', 1, ?, ?)`,
    )
    .run(
      id,
      material.classId ?? null,
      material.title,
      material.type ?? 'pdf',
      id.replace(/-/g, ''),
      `${material.title}.pdf`,
      importedAt,
      importedAt,
    );
  return id;
}

/** Shared across test files: extracting the vocabulary from node-llama-cpp's bundle takes a second. */
export const VOCABULARY_CACHE = join(tmpdir(), 'little-monster-test-vocabulary');

/** The bge WordPiece tokenizer (exact), or undefined when git or the bundle is missing. */
export async function bgeTokenCounter(): Promise<LoadedTokenCounter | undefined> {
  const file = extractBundledVocabulary(VOCABULARY_CACHE);
  return file ? loadVocabularyTokenCounter(file) : undefined;
}
