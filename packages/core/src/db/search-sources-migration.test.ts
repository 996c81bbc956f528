/**
 * The upgrade that made search index typed sources: a database written before it (a library, a
 * lecture transcript indexed as a fake material of type 'lecture', a tutor answer citing both)
 * opens with every passage kept and found, no fake material left, and the answer's sources in
 * the new shape.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TutorSourceSchema } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { tempDir } from '../test-support/temp-core.js';
import { defaultMigrationsDir } from './migrations.js';
import { openDatabase, type OpenedDatabase } from './open-database.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir('lm-sources-migration-')));
afterEach(() => dir.remove());

const open = (migrationsDir: string): OpenedDatabase =>
  openDatabase({
    dataDir: join(dir.path, 'data'),
    migrationsDir,
    backupsDir: join(dir.path, 'backups'),
    logger: silentLogger(),
  });

/** The committed migrations up to the one that created `search_sources` (not included). */
function migrationsBeforeSources(): string {
  const committed = defaultMigrationsDir();
  const folder = join(dir.path, 'migrations-before');
  cpSync(committed, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const first = journal.entries.findIndex((entry) =>
    readFileSync(join(committed, `${entry.tag}.sql`), 'utf8').includes('CREATE TABLE `search_sources`'),
  );
  expect(first).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, first);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

const CLASS = '00000000-0000-4000-8000-0000000000c1';
const PDF = '00000000-0000-4000-8000-0000000000d1';
const LECTURE = '00000000-0000-4000-8000-0000000000e1';
const NOW = '2026-03-01T10:00:00.000Z';

it('turns materials and lecture transcripts into search sources, keeping every passage and citation', () => {
  const old = open(migrationsBeforeSources());
  const { sqlite } = old;
  sqlite.exec(`
    INSERT INTO classes (id, name, color, sort_order, created_at, updated_at) VALUES ('${CLASS}', 'Biology', '#00aa00', 0, '${NOW}', '${NOW}');
    INSERT INTO class_exams (id, class_id, title, date) VALUES ('x1', '${CLASS}', 'Final', '2026-12-14');
    INSERT INTO materials (id, class_id, title, type, status, blob_sha256, source_name, mime_type, bytes, page_count, imported_at, updated_at)
      VALUES ('${PDF}', '${CLASS}', 'Cell notes', 'pdf', 'ready', 'abc', 'cells.pdf', 'application/pdf', 10, 1, '${NOW}', '${NOW}');
    INSERT INTO material_pages (material_id, page_number, text, source) VALUES ('${PDF}', 1, 'Mitochondria make energy.', 'text-layer');
    INSERT INTO lectures (id, class_id, title, status, file_name, mime_type, started_at, created_at, updated_at)
      VALUES ('${LECTURE}', '${CLASS}', 'Lecture 4', 'recorded', '${LECTURE}.webm', 'audio/webm', '2026-03-02T09:00:00.000Z', '${NOW}', '${NOW}');
    INSERT INTO materials (id, class_id, title, type, status, blob_sha256, source_name, mime_type, bytes, page_count, imported_at, updated_at)
      VALUES ('${LECTURE}', '${CLASS}', 'Lecture 4', 'lecture', 'ready', '', 'Lecture 4', 'audio/webm', 0, 0, '2026-03-02T09:00:00.000Z', '${NOW}');
    INSERT INTO chunks (id, material_id, ordinal, text, heading, token_count, page_start, page_end, spans)
      VALUES (7, '${PDF}', 0, 'Mitochondria make energy.', NULL, 4, 1, 1, '[{"page":1,"start":0,"end":25}]');
    INSERT INTO chunks (id, material_id, ordinal, text, heading, token_count, time_start_ms, time_end_ms)
      VALUES (9, '${LECTURE}', 0, 'Today, cell division.', NULL, 4, 754600, 761200);
    INSERT INTO conversations (id, class_id, title, created_at, updated_at) VALUES ('v1', '${CLASS}', 'Cells', '${NOW}', '${NOW}');
  `);
  const oldSources = [
    {
      n: 1,
      chunkId: 7,
      materialId: PDF,
      materialTitle: 'Cell notes',
      materialType: 'pdf',
      pageStart: 1,
      pageEnd: 1,
      startSec: null,
      endSec: null,
      spans: [{ page: 1, start: 0, end: 25 }],
      excerpt: 'Mitochondria make energy.',
    },
    {
      n: 2,
      chunkId: 9,
      materialId: LECTURE,
      materialTitle: 'Lecture 4',
      materialType: 'lecture',
      pageStart: null,
      pageEnd: null,
      startSec: 754.6,
      endSec: 761.2,
      spans: [],
      excerpt: 'Today, cell division.',
    },
  ];
  sqlite
    .prepare(
      `INSERT INTO messages (id, conversation_id, seq, role, text, status, sources, created_at)
       VALUES ('a1', 'v1', 0, 'assistant', 'Energy [1], division [2].', 'complete', ?, '${NOW}')`,
    )
    .run(JSON.stringify(oldSources));
  old.close();

  const upgraded = open(defaultMigrationsDir());
  try {
    const db = upgraded.sqlite;
    expect(db.prepare('SELECT id, type FROM materials').all()).toEqual([{ id: PDF, type: 'pdf' }]);
    expect(db.prepare('SELECT count(*) FROM material_pages').pluck().get()).toBe(1);
    expect(
      db
        .prepare(
          'SELECT kind, ref_id AS refId, title, class_id AS classId, material_type AS materialType, added_at AS addedAt FROM search_sources ORDER BY kind DESC',
        )
        .all(),
    ).toEqual([
      {
        kind: 'material',
        refId: PDF,
        title: 'Cell notes',
        classId: CLASS,
        materialType: 'pdf',
        addedAt: NOW,
      },
      {
        kind: 'lecture',
        refId: LECTURE,
        title: 'Lecture 4',
        classId: CLASS,
        materialType: null,
        addedAt: '2026-03-02T09:00:00.000Z',
      },
    ]);
    // The passages keep their ids (the vector tables' keys) and are still found by keyword.
    const found = (word: string) =>
      db
        .prepare(
          `SELECT c.id, s.kind FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN search_sources s ON s.id = c.source_id
           WHERE chunks_fts MATCH ?`,
        )
        .all(word);
    expect(found('mitochondria')).toEqual([{ id: 7, kind: 'material' }]);
    expect(found('division')).toEqual([{ id: 9, kind: 'lecture' }]);
    // A passage written after the upgrade is indexed too (the keyword triggers follow the new table).
    const source = db.prepare("SELECT id FROM search_sources WHERE kind = 'material'").pluck().get();
    db.prepare(
      "INSERT INTO chunks (source_id, ordinal, text, token_count) VALUES (?, 1, 'Ribosomes build proteins.', 3)",
    ).run(source);
    expect(found('ribosomes')).toHaveLength(1);

    const sources = JSON.parse(
      db.prepare("SELECT sources FROM messages WHERE id = 'a1'").pluck().get() as string,
    );
    expect(sources.map((s: unknown) => TutorSourceSchema.parse(s))).toEqual([
      {
        n: 1,
        chunkId: 7,
        ref: { kind: 'material', id: PDF },
        title: 'Cell notes',
        materialType: 'pdf',
        location: { kind: 'pages', pageStart: 1, pageEnd: 1, spans: [{ page: 1, start: 0, end: 25 }] },
        excerpt: 'Mitochondria make energy.',
      },
      {
        n: 2,
        chunkId: 9,
        ref: { kind: 'lecture', id: LECTURE },
        title: 'Lecture 4',
        materialType: null,
        location: { kind: 'time', startSec: 754.6, endSec: 761.2 },
        excerpt: 'Today, cell division.',
      },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(readdirSync(join(dir.path, 'backups'))).toHaveLength(1);
  } finally {
    upgraded.close();
  }
});
