import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractBundledVocabulary } from '../../ai/tokenizer/bundled-vocabulary.js';
import {
  loadVocabularyTokenCounter,
  type LoadedTokenCounter,
} from '../../ai/tokenizer/vocabulary-token-counter.js';
import { defaultMigrationsDir } from '../../db/migrations.js';
import { openDatabase, type OpenedDatabase } from '../../db/open-database.js';
import type { MaterialType, SourceRef } from '../../contract/index.js';
import { silentLogger } from '../../logging/logger.js';
import { tempDir } from '../../test-support/temp-core.js';
import type { SourceDetails } from '../search-index.js';

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

export interface MaterialFixture {
  title: string;
  type?: MaterialType;
  classId?: string | null;
  importedAt?: string;
}

/** A material as search knows it (a `material` source with a fresh id), for indexing its passages. */
export function materialSource(material: MaterialFixture): { ref: SourceRef; details: SourceDetails } {
  return {
    ref: { kind: 'material', id: randomUUID() },
    details: {
      title: material.title,
      classId: material.classId ?? null,
      materialType: material.type ?? 'pdf',
      addedAt: material.importedAt ?? new Date().toISOString(),
    },
  };
}

/** Shared across test files: extracting the vocabulary from node-llama-cpp's bundle takes a second. */
export const VOCABULARY_CACHE = join(tmpdir(), 'little-monster-test-vocabulary');

/** The bge WordPiece tokenizer (exact), or undefined when git or the bundle is missing. */
export async function bgeTokenCounter(): Promise<LoadedTokenCounter | undefined> {
  const file = extractBundledVocabulary(VOCABULARY_CACHE);
  return file ? loadVocabularyTokenCounter(file) : undefined;
}
